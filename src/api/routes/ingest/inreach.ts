import { z } from 'zod';
import { CentinelaError } from '../../../domain/errors.ts';
import { ACCESS } from '../../access-policy.ts';
import type { RouteModule } from '../../deps.ts';
import { sendError } from '../../errors.ts';

const TOKEN_HEADER = 'x-outbound-auth-token';

/**
 * `POST /api/gateways/inreach`: Garmin IPC Outbound pushes here (issue 17 §3). Garmin holds no
 * user token: the route is public to the role check and authenticated by the token configured in
 * CENTINELA_INREACH_TOKEN (header `x-outbound-auth-token`, or `Authorization: Bearer`). Registered
 * only when that token is set. Answers 200 once the push's alarms are durable (P1); Garmin retries
 * anything else.
 */
export const inreachRoutes: RouteModule = (app, deps) => {
  const intake = deps.parts?.ingest?.inreach;
  if (!intake) return;
  app.post(
    '/api/gateways/inreach',
    {
      config: { access: ACCESS.public },
      bodyLimit: 512 * 1024,
      schema: {
        tags: ['gateways'],
        summary: 'Garmin inReach IPC Outbound events (token-authenticated)',
        body: z.unknown(),
        response: { 200: z.object({ accepted: z.number(), ignored: z.number() }) },
      },
    },
    async (req, reply) => {
      const header = req.headers[TOKEN_HEADER];
      const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
      if (!intake.authorised(typeof header === 'string' ? header : bearer)) {
        deps.metrics.authFailures.inc({ surface: 'inreach', reason: header || bearer ? 'invalid' : 'missing' });
        return sendError(req, reply, new CentinelaError('CENTINELA_ERR_AUTH_INVALID', 'invalid or missing inReach outbound token'));
      }
      return intake.accept(req.body, deps.clock.now());
    },
  );
};
