import { z } from 'zod';
import { ALARM_HANDLERS } from '../../domain/roles.ts';
import { actorOf } from '../auth.ts';
import type { RouteModule } from '../deps.ts';
import { alarmView } from './alerts-alarms.ts';
import { alertsOf } from './alerts-part.ts';

const queueItem = z.object({ ...alarmView.shape, alias: z.string().nullable() });

/**
 * GET /api/console/queue: the open alarms and tasks with each person's alias, in one request.
 * Operators answer by who is in danger, not by device serial; one audited read of the aliases
 * replaces a read per row.
 */
export const queueRoutes: RouteModule = (app, deps) => {
  app.get(
    '/api/console/queue',
    { config: { access: ALARM_HANDLERS }, schema: { tags: ['console'], response: { 200: z.object({ items: z.array(queueItem) }) } } },
    async (req) => {
      const actor = actorOf(req);
      const alarms = await alertsOf(deps).alarms.list(actor, { open: true, limit: 500 });
      const ids = [...new Set(alarms.map((a) => a.beneficiaryId).filter((id): id is string => id !== null))];
      const alias = await deps.repos.alarms.aliases(ids);
      // P6: a read of personal data (the alias) is written to the audit chain.
      if (alias.size)
        await deps.repos.audit.record(actor, {
          action: 'list',
          recordType: 'beneficiary',
          recordId: '*',
          detail: { fields: ['alias'], count: alias.size },
        });
      return { items: alarms.map((a) => ({ ...a, alias: a.beneficiaryId ? (alias.get(a.beneficiaryId) ?? null) : null })) };
    },
  );
};
