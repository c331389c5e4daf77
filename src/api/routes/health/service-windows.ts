import { z } from 'zod';
import { ACCESS } from '../../access-policy.ts';
import type { RouteModule } from '../../deps.ts';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const OUT_OF_PROTECTION_ACTIONS = ['start_test', 'end_test', 'plan_maintenance'];

const response = z.object({
  onTest: z.array(z.object({ deviceId: z.string(), since: z.string().nullable(), until: z.string() })),
  maintenance: z.array(
    z.object({ id: z.string(), deviceId: z.string(), startsAt: z.string(), endsAt: z.string(), reason: z.string().nullable() }),
  ),
  changes: z.array(
    z.object({ at: z.string(), actorId: z.string(), actorRole: z.string(), action: z.string(), deviceId: z.string(), detail: z.unknown() }),
  ),
});

/**
 * Issue 15: who is out of protection right now and who put them there. Devices on test or in
 * maintenance page no one outside the centre or are not supervised; supervisors see every such
 * window and every change to one (the entries of the audit chain).
 */
export const serviceWindowRoutes: RouteModule = (app, deps) => {
  app.get(
    '/api/service-windows',
    {
      config: { access: ACCESS.serviceWindows },
      schema: {
        tags: ['health'],
        summary: 'Devices on test and maintenance windows now or to come, and the latest changes to them (audited)',
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) }),
        response: { 200: response },
      },
    },
    async (req) => {
      const now = deps.clock.now();
      const [onTest, maintenance, changes] = await Promise.all([
        deps.repos.devices.onTest(now),
        deps.repos.maintenance.pending(now),
        deps.repos.audit.list({ recordType: 'device', actions: OUT_OF_PROTECTION_ACTIONS, limit: req.query.limit }),
      ]);
      return {
        onTest: onTest.map((d) => ({ deviceId: d.deviceId, since: iso(d.since), until: iso(d.until) as string })),
        maintenance: maintenance.map((w) => ({ ...w, startsAt: iso(w.startsAt) as string, endsAt: iso(w.endsAt) as string })),
        changes: changes.map((c) => ({
          at: iso(c.at) as string,
          actorId: c.actor_id,
          actorRole: c.actor_role,
          action: c.action,
          deviceId: c.record_id,
          detail: c.detail ? JSON.parse(c.detail) : null,
        })),
      };
    },
  );
};
