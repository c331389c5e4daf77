import type { StreamMessage } from '../../../alerts/index.ts';
import { ACCESS } from '../../access-policy.ts';
import { alertsOf } from '../../alerts-part.ts';
import { roleOf } from '../../auth.ts';
import type { RouteModule } from '../../deps.ts';

const KEEPALIVE_MS = 15_000;

/**
 * GET /api/stream: server-sent events. Every role may connect; the hub decides what each sees
 * (P6: technicians no personal data, analysts nothing per person).
 */
export const streamRoutes: RouteModule = (app, deps) => {
  /** Each open stream's close, with the user it was opened for. */
  const open = new Map<() => void, string | undefined>();
  // Open streams never end by themselves: closing the app ends them so shutdown is not held up.
  app.addHook('onClose', async () => {
    for (const close of open.keys()) close();
  });
  // Issue 15: a user revoked on any node loses their live streams on every node at once; the
  // browser reconnects and is authenticated afresh.
  const offRevoked = deps.events?.on(
    'credential.revoked',
    (e) => {
      if (e.account !== 'user') return;
      for (const [close, userId] of open) if (userId === e.id) close();
    },
    { origin: 'any' },
  );
  app.addHook('onClose', async () => offRevoked?.());
  app.get(
    '/api/stream',
    { config: { access: ACCESS.staff }, schema: { tags: ['alarms'], summary: 'Live alarm and device-state changes (server-sent events)' } },
    async (req, reply) => {
      const hub = alertsOf(deps).stream;
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      res.write(`: connected as ${roleOf(req)}\n\n`);
      const send = (m: StreamMessage) => res.write(`event: ${m.event}\ndata: ${JSON.stringify(m.data)}\n\n`);
      const off = hub.subscribe(roleOf(req), send);
      const keepalive = setInterval(() => res.write(': keep-alive\n\n'), KEEPALIVE_MS);
      let closed = false;
      const close = () => {
        if (closed) return;
        closed = true;
        clearInterval(keepalive);
        off();
        open.delete(close);
        res.end();
      };
      open.set(close, req.principal?.userId);
      req.raw.on('close', close);
    },
  );
};
