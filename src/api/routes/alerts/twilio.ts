import formbody from '@fastify/formbody';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AlertsApi } from '../../../alerts/index.ts';
import { ACCESS } from '../../access-policy.ts';
import { alertsOf } from '../../alerts-part.ts';
import type { ApiDeps, App, RouteModule } from '../../deps.ts';

type Form = Record<string, string>;
const params = z.object({ notificationId: z.string().min(1).max(64) });
const form = z.record(z.string(), z.string()).default({});
const tags = ['twilio'];

/**
 * Twilio's callbacks. They are public (Twilio holds no token) but accepted only with a valid
 * X-Twilio-Signature over the exact public URL and the form fields; anything else is a forgery
 * attempt: 403 and a log line (issue 4). Form bodies are parsed only inside this plugin.
 */
export const twilioRoutes: RouteModule = async (app, deps) => {
  await app.register(async (scope) => {
    await scope.register(formbody);
    routes(scope as unknown as App, deps);
  });
};

export function verified(deps: ApiDeps, req: FastifyRequest, reply: FastifyReply): AlertsApi['twilio'] | undefined {
  const tw = deps.parts?.alerts && 'twilio' in deps.parts.alerts ? (deps.parts.alerts as AlertsApi).twilio : undefined;
  const signature = req.headers['x-twilio-signature'];
  const url = tw ? `${tw.publicUrl}${req.url}` : '';
  const ok =
    tw !== undefined && typeof signature === 'string' && tw.validateRequest(tw.authToken, signature, url, (req.body ?? {}) as Form);
  if (!ok) {
    deps.logger.warn(
      { route: req.routeOptions.url, signed: typeof signature === 'string', twilioConfigured: tw !== undefined, requestId: req.id },
      'twilio callback refused: invalid signature',
    );
    reply
      .code(403)
      .send({ error: { code: 'CENTINELA_ERR_AUTH_FORBIDDEN', message: 'invalid Twilio signature', requestId: String(req.id) } });
    return undefined;
  }
  return tw;
}

const xml = (reply: FastifyReply, body: string) => reply.type('text/xml; charset=utf-8').send(body);

function routes(app: App, deps: ApiDeps): void {
  const config = { access: ACCESS.public };

  app.post('/api/twilio/sms-status', { config, schema: { tags, body: form } }, async (req, reply) => {
    const tw = verified(deps, req, reply);
    if (!tw) return reply;
    await tw.inbound.smsStatus(req.body as Form);
    return reply.code(204).send();
  });

  app.post('/api/twilio/voice/:notificationId', { config, schema: { tags, params, body: form } }, async (req, reply) => {
    const tw = verified(deps, req, reply);
    if (!tw) return reply;
    return xml(reply, await tw.inbound.voiceTwiml(req.params.notificationId));
  });

  app.post('/api/twilio/voice-status/:notificationId', { config, schema: { tags, params, body: form } }, async (req, reply) => {
    const tw = verified(deps, req, reply);
    if (!tw) return reply;
    await tw.inbound.voiceStatus(req.params.notificationId, req.body as Form);
    return reply.code(204).send();
  });

  app.post('/api/twilio/gather/:notificationId', { config, schema: { tags, params, body: form } }, async (req, reply) => {
    const tw = verified(deps, req, reply);
    if (!tw) return reply;
    return xml(reply, await tw.inbound.gather(req.params.notificationId, req.body as Form));
  });

  app.post('/api/twilio/inbound-sms', { config, schema: { tags, body: form } }, async (req, reply) => {
    const tw = verified(deps, req, reply);
    if (!tw) return reply;
    // Issue 18: "VIAJE 120" and "LLEGUE" are check-in commands (src/alerts/check-in/).
    const checkIn = await alertsOf(deps).checkIns.inboundSms(req.body as Form);
    if (checkIn !== undefined) return xml(reply, checkIn);
    return xml(reply, await tw.inbound.inboundSms(req.body as Form));
  });
}
