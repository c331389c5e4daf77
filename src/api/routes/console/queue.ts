import { z } from 'zod';
import { ACCESS } from '../../access-policy.ts';
import { alertsOf } from '../../alerts-part.ts';
import { actorOf } from '../../auth.ts';
import type { RouteModule } from '../../deps.ts';
import { alarmView } from '../alerts/alarms.ts';

const queueItem = z.object({ ...alarmView.shape, alias: z.string().nullable() });

/**
 * GET /api/console/queue: the open alarms and tasks with each person's alias, in one request.
 * Operators answer by who is in danger, not by device serial; one audited read of the aliases
 * replaces a read per row.
 */
export const queueRoutes: RouteModule = (app, deps) => {
  app.get(
    '/api/console/queue',
    { config: { access: ACCESS.alarmHandlers }, schema: { tags: ['console'], response: { 200: z.object({ items: z.array(queueItem) }) } } },
    async (req) => {
      const actor = actorOf(req);
      const alarms = await alertsOf(deps).alarms.list(actor, { open: true, limit: 500 });
      // P6: the read of personal data (the aliases) is written to the audit chain.
      const alias = await deps.repos.beneficiaryAliases.of(
        actor,
        alarms.map((a) => a.beneficiaryId).filter((id): id is string => id !== null),
      );
      return { items: alarms.map((a) => ({ ...a, alias: a.beneficiaryId ? (alias.get(a.beneficiaryId) ?? null) : null })) };
    },
  );
};
