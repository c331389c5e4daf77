import type { StreamMessage } from '../../../alerts/index.ts';
import { ACCESS } from '../../access-policy.ts';
import { alertsOf } from '../../alerts-part.ts';
import { roleOf } from '../../auth.ts';
import type { RouteModule } from '../../deps.ts';

/**
 * Issue 14 §2: a heartbeat every few seconds — an unnamed event (`message`, `{"heartbeat": ms}`),
 * since comments never reach the page's script and named events are content — so the console can
 * tell within 10 s that it is cut off (src/web/js/live.js waits 7 s).
 */
export const HEARTBEAT_MS = 3_000;
/** How soon a browser tries again after the stream drops (the SSE `retry` field). */
const RETRY_MS = 2_000;

/**
 * GET /api/stream: server-sent events. Every role may connect; the hub decides what each sees
 * (P6: technicians no personal data, analysts nothing per person).
 *
 * Events carry no `id`: nothing is replayed. A reconnecting browser reloads what it shows
 * (src/web/js/live.js sends `resync` to its views), so a `Last-Event-ID` header, whatever it
 * holds, is ignored — garbage in it cannot change what the stream sends.
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
      res.write(`retry: ${RETRY_MS}\n: connected as ${roleOf(req)}\n\n`);
      const send = (m: StreamMessage) => res.write(`event: ${m.event}\ndata: ${JSON.stringify(m.data)}\n\n`);
      const beat = () => res.write(`data: {"heartbeat":${Date.now()}}\n\n`);
      const off = hub.subscribe(roleOf(req), send);
      beat();
      const heartbeat = setInterval(beat, HEARTBEAT_MS);
      const close = () => {
        clearInterval(heartbeat);
        off();
        open.delete(close);
        res.end();
      };
      open.add(close);
      req.raw.on('close', close);
    },
  );
};
