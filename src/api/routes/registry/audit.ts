import { z } from 'zod';
import { ACCESS } from '../../access-policy.ts';
import type { RouteModule } from '../../deps.ts';

const entry = z.object({
  seq: z.number(),
  at: z.string(),
  actorId: z.string(),
  actorRole: z.string(),
  action: z.string(),
  recordType: z.string(),
  recordId: z.string(),
  requestId: z.string().nullable(),
  hash: z.string(),
});

/** Who read or changed what: for admins and for oversight bodies. */
export const auditRoutes: RouteModule = (app, deps) => {
  app.get(
    '/api/audit',
    {
      config: { access: ACCESS.admin },
      schema: {
        tags: ['audit'],
        querystring: z.object({
          recordType: z.string().max(40).optional(),
          recordId: z.string().max(80).optional(),
          limit: z.coerce.number().int().min(1).max(1000).default(100),
        }),
        response: { 200: z.array(entry) },
      },
    },
    async (req) =>
      (await deps.repos.audit.list(req.query)).map((r) => ({
        seq: r.seq,
        at: new Date(r.at).toISOString(),
        actorId: r.actor_id,
        actorRole: r.actor_role,
        action: r.action,
        recordType: r.record_type,
        recordId: r.record_id,
        requestId: r.request_id,
        hash: r.hash,
      })),
  );
  app.get(
    '/api/audit/verify',
    {
      config: { access: ACCESS.admin },
      schema: {
        tags: ['audit'],
        response: {
          200: z.object({ ok: z.boolean(), entries: z.number(), brokenAt: z.number().optional(), reason: z.string().optional() }),
        },
      },
    },
    () => deps.repos.audit.verify(),
  );
};
