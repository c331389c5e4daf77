import type { StreamMessage } from '../../../alerts/index.ts';
import { ACCESS } from '../../access-policy.ts';
import { alertsOf } from '../../alerts-part.ts';
import { actorOf, roleOf } from '../../auth.ts';
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
        'cache-control': 'no-store',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      res.write(`: connected as ${roleOf(req)}\n\n`);
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
      const off = hub.subscribe(roleOf(req), send);
      // Issue 15: a credential revoked where no event reaches this node (`centinela user revoke`
      // in another process) still ends the stream, at the next keep-alive.
      const keepalive = setInterval(() => {
        app.reauthenticate(req).then(
          (p) => (p?.userId === req.principal?.userId ? void res.write(': keep-alive\n\n') : close()),
          () => res.write(': keep-alive\n\n'),
        );
      }, KEEPALIVE_MS);
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
