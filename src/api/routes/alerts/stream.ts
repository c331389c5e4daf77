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
  const open = new Set<() => void>();
  // Open streams never end by themselves: they are ended before the server closes (preClose),
  // since the server's close waits for every open response and would otherwise wait forever.
  app.addHook('preClose', async () => {
    for (const close of open) close();
  });
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
      const close = () => {
        clearInterval(keepalive);
        off();
        open.delete(close);
        res.end();
      };
      open.add(close);
      req.raw.on('close', close);
    },
  );
};
