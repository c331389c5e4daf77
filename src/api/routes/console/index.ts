import formbody from '@fastify/formbody';
import { z } from 'zod';
import { ROLES } from '../../../domain/roles.ts';
import { ACCESS } from '../../access-policy.ts';
import { passesCsrf, readSessionId } from '../../console/http.ts';
import { loadMessages } from '../../console/i18n.ts';
import { ConsoleSessions, csrfTokenOf } from '../../console/sessions.ts';
import type { App, RouteModule } from '../../deps.ts';
import { alarmContextRoutes } from './alarm-context.ts';
import { assetRoutes } from './assets.ts';
import { deliveryRoutes } from './delivery.ts';
import { loginRoutes } from './login.ts';
import { queueRoutes } from './queue.ts';

/**
 * The browser console (src/web): login, session, static assets. The session cookie becomes a
 * way to authenticate API calls; requests that change state must also carry the CSRF header.
 */
export const consoleRoutes: RouteModule = async (app, deps) => {
  const sessions = new ConsoleSessions(deps.repos.consoleSessions, deps.clock);
  const messages = await loadMessages();

  deps.authenticators?.push(async (req) => {
    const id = readSessionId(req);
    if (!id || !passesCsrf(req, id)) return undefined;
    return sessions.resolve(id);
  });

  // Form bodies are parsed only inside this scope (as for Twilio's callbacks).
  await app.register(async (scope) => {
    await scope.register(formbody);
    const typed = scope as unknown as App;
    await loginRoutes(typed, deps, sessions, messages);
    await assetRoutes(typed, messages);
  });

  await alarmContextRoutes(app, deps);
  await queueRoutes(app, deps);
  await deliveryRoutes(app, deps);

  app.get(
    '/api/console/session',
    {
      config: { access: ACCESS.staff },
      schema: {
        tags: ['console'],
        summary: "The console's own session: who is logged in and the CSRF token to echo in x-centinela-csrf",
        response: { 200: z.object({ userId: z.string(), name: z.string(), role: z.enum(ROLES), csrfToken: z.string().nullable() }) },
      },
    },
    async (req) => {
      const p = req.principal;
      if (!p) throw new Error('authenticated route without a principal');
      // Bearer callers have no session and need no CSRF token.
      const id = req.headers.authorization ? undefined : readSessionId(req);
      return { userId: p.userId, name: p.name, role: p.role, csrfToken: id ? csrfTokenOf(id) : null };
    },
  );
};
