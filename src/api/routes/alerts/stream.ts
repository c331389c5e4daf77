import type { StreamMessage } from '../../../alerts/index.ts';
import { ACCESS } from '../../access-policy.ts';
import { alertsOf } from '../../alerts-part.ts';
import { actorOf, roleOf } from '../../auth.ts';
import type { RouteModule } from '../../deps.ts';

/**
 * Issue 14 §2: a heartbeat every few seconds — an unnamed event (`message`, `{"heartbeat": ms}`),
 * since comments never reach the page's script and named events are content — so the console can
 * tell within 10 s that it is cut off (src/web/js/live.js waits 7 s).
 */
export const HEARTBEAT_MS = 3_000;
/** How soon a browser tries again after the stream drops (the SSE `retry` field). */
const RETRY_MS = 2_000;
/** Every this many heartbeats the stream's credential is checked again (issue 15: revocation). */
const REAUTH_EVERY = 5;

/**
 * GET /api/stream: server-sent events. Every role may connect; the hub decides what each sees
 * (P6: technicians no personal data, analysts nothing per person).
 *
 * Events carry no `id`: nothing is replayed. A reconnecting browser reloads what it shows
 * (src/web/js/live.js sends `resync` to its views), so a `Last-Event-ID` header, whatever it
 * holds, is ignored — garbage in it cannot change what the stream sends.
 */
export const streamRoutes: RouteModule = (app, deps) => {
  /** Each open stream's close, with the user it was opened for. */
  const open = new Map<() => void, string | undefined>();
  // Open streams never end by themselves: they are ended before the server closes (preClose),
  // since the server's close waits for every open response and would otherwise wait forever.
  app.addHook('preClose', async () => {
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
        'cache-control': 'no-store',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      res.write(`retry: ${RETRY_MS}\n: connected as ${roleOf(req)}\n\n`);
      let closed = false;
      const write = (m: StreamMessage) => res.write(`event: ${m.event}\ndata: ${JSON.stringify(m.data)}\n\n`);
      // P6, issue 15: a push of personal data is a read like any other: audited before it is
      // written, in order (a push whose audit entry cannot be written is not sent).
      const actor = actorOf(req);
      let pushes = Promise.resolve();
      const send = (m: StreamMessage) => {
        if (!m.personal) return void write(m);
        pushes = pushes
          .then(() =>
            deps.repos.audit.record(actor, {
              action: 'stream',
              recordType: 'alarm',
              recordId: typeof m.data.alarmId === 'string' ? m.data.alarmId : '*',
              detail: { event: m.event },
            }),
          )
          .then(
            () => void (closed || write(m)),
            (err: unknown) => deps.logger.error({ err, event: m.event }, 'stream push not audited; not sent'),
          );
      };
      const beat = () => res.write(`data: {"heartbeat":${Date.now()}}\n\n`);
      const off = hub.subscribe(roleOf(req), send);
      beat();
      let beats = 0;
      const heartbeat = setInterval(() => {
        beats += 1;
        if (beats % REAUTH_EVERY !== 0) return void beat();
        // Issue 15: a credential revoked where no event reaches this node (`centinela user revoke`
        // in another process) still ends the stream, at the next check.
        app.reauthenticate(req).then(
          (p) => (p?.userId === req.principal?.userId ? beat() : close()),
          () => beat(),
        );
      }, HEARTBEAT_MS);
      const close = () => {
        if (closed) return;
        closed = true;
        clearInterval(heartbeat);
        off();
        open.delete(close);
        res.end();
      };
      open.set(close, req.principal?.userId);
      req.raw.on('close', close);
    },
  );
};
