import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { hashSecret, verifySecret } from '../../../platform/secrets.ts';
import { ACCESS } from '../../access-policy.ts';
import { isSameOrigin, LANG_COOKIE, readSessionId, setSessionCookie } from '../../console/http.ts';
import { type Language, languageOf, type Messages, translator } from '../../console/i18n.ts';
import { loginPage, pageHeaders, shellPage } from '../../console/pages.ts';
import type { ConsoleSessions } from '../../console/sessions.ts';
import { LoginThrottle } from '../../console/throttle.ts';
import type { ApiDeps, App } from '../../deps.ts';

const loginForm = z.object({ username: z.string().max(200).optional(), password: z.string().max(400).optional() }).passthrough();
const langQuery = z.object({ lang: z.enum(['es', 'en']).optional() });
const ONE_YEAR_S = 365 * 24 * 3600;

/**
 * GET /, GET /login, POST /login, POST /logout: the only public routes of the console. A wrong
 * password answers the login page with an error and never a cookie; repeated failures are slowed.
 */
export async function loginRoutes(app: App, deps: ApiDeps, sessions: ConsoleSessions, messages: Record<Language, Messages>): Promise<void> {
  const throttle = new LoginThrottle(deps.clock);
  // Compared against when the user does not exist, so a wrong name costs the same scrypt time
  // as a wrong password and response times do not reveal which names exist.
  // Computed in the background (scrypt runs off the main thread): start-up does not wait for it.
  const decoy = hashSecret('centinela-decoy-password');
  const access = { access: ACCESS.public };

  const currentUser = async (req: FastifyRequest) => {
    const id = readSessionId(req);
    return id ? sessions.resolve(id) : undefined;
  };

  app.get('/', { config: access, schema: { hide: true } }, async (req, reply) => {
    if (!(await currentUser(req))) return reply.redirect('/login', 303);
    const lang = languageOf(req);
    const tiles = deps.console?.mapTileUrl;
    return pageHeaders(reply, tiles).send(shellPage(lang, translator(messages[lang]), tiles));
  });

  app.get('/login', { config: access, schema: { hide: true, querystring: langQuery } }, async (req, reply) => {
    const asked = req.query.lang;
    if (asked) reply.header('set-cookie', `${LANG_COOKIE}=${asked}; Path=/; Max-Age=${ONE_YEAR_S}; SameSite=Strict`);
    if (await currentUser(req)) return reply.redirect('/', 303);
    const lang = languageOf(req, asked);
    return pageHeaders(reply).send(loginPage(lang, translator(messages[lang])));
  });

  app.post('/login', { config: access, schema: { hide: true, body: loginForm } }, async (req, reply) => {
    const lang = languageOf(req);
    const t = translator(messages[lang]);
    const username = (req.body.username ?? '').trim();
    const password = req.body.password ?? '';
    const fail = (status: number, error: string) => pageHeaders(reply.code(status)).send(loginPage(lang, t, { username, error }));

    // A login form posted from another site would log the victim into the attacker's account.
    if (!isSameOrigin(req)) return fail(403, t('login.error.origin'));
    const waitMs = throttle.waitMs(username, req.ip);
    if (waitMs > 0) {
      const seconds = Math.ceil(waitMs / 1000);
      reply.header('retry-after', String(seconds));
      return fail(429, t('login.error.throttled').replace('{seconds}', String(seconds)));
    }
    const user = username ? await deps.repos.users.findByName(username) : undefined;
    const hash = user && !user.disabledAt ? user.passwordHash : null;
    const ok = (await verifySecret(password, hash ?? (await decoy))) && hash !== null && password.length > 0;
    if (!ok || !user) {
      throttle.failed(username, req.ip);
      deps.metrics.authFailures.inc({ surface: 'console', reason: 'invalid' });
      return fail(401, t('login.error.invalid'));
    }
    throttle.succeeded(username, req.ip);
    const id = await sessions.create(user.id);
    await deps.repos.audit.record(
      { id: user.id, role: user.role, requestId: String(req.id) },
      { action: 'login', recordType: 'user', recordId: user.id, detail: { surface: 'console' } },
    );
    setSessionCookie(req, reply, id);
    return reply.redirect('/', 303);
  });

  app.post('/logout', { config: access, schema: { hide: true } }, async (req, reply) => {
    if (!isSameOrigin(req))
      return reply
        .code(403)
        .send({ error: { code: 'CENTINELA_ERR_AUTH_FORBIDDEN', message: 'cross-origin logout refused', requestId: String(req.id) } });
    const id = readSessionId(req);
    if (id) await sessions.revoke(id);
    setSessionCookie(req, reply, null);
    return reply.redirect('/login', 303);
  });
}
