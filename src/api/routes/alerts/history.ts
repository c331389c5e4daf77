import { z } from 'zod';
import { alarmHistoryItemSchema, alarmSearchSchema } from '../../../domain/alarm-notes.ts';
import { ALARM_HANDLERS } from '../../../domain/roles.ts';
import { actorOf } from '../../auth.ts';
import type { RouteModule } from '../../deps.ts';

/**
 * GET /api/alarms/history: past and open alarms searched by alias, device, kind, date and
 * outcome, newest first, a page at a time. Only those who answer alarms may search them (P6).
 */
export const alarmHistoryRoutes: RouteModule = (app, deps) => {
  app.get(
    '/api/alarms/history',
    {
      config: { access: ALARM_HANDLERS },
      schema: {
        tags: ['alarms'],
        summary: 'Search alarms by alias, device, kind, date and outcome (newest first)',
        querystring: alarmSearchSchema,
        response: { 200: z.object({ items: z.array(alarmHistoryItemSchema), more: z.boolean() }) },
      },
    },
    async (req) => deps.repos.alarmHistory.search(actorOf(req), req.query),
  );
};
