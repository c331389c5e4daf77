import { z } from 'zod';
import { ACCESS } from '../../access-policy.ts';
import { alertsOf } from '../../alerts-part.ts';
import type { RouteModule } from '../../deps.ts';

/**
 * GET /api/console/delivery: which channels have a carrier. While SMS or voice have none the
 * console shows a banner: messages to contacts, supervisors and authorities are NOT sent, only
 * shown to the operators, who call or write by hand (issue 14 §1).
 */
export const deliveryRoutes: RouteModule = (app, deps) => {
  app.get(
    '/api/console/delivery',
    {
      config: { access: ACCESS.alarmHandlers },
      schema: { tags: ['console'], response: { 200: z.object({ sms: z.boolean(), voice: z.boolean(), webhook: z.boolean() }) } },
    },
    async () => alertsOf(deps).delivery,
  );
};
