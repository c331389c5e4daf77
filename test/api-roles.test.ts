import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES } from '../src/domain/roles.ts';
import { startTestCentinela, type TestCentinela } from './fixtures/centinela.ts';

/**
 * P6: every route declares the roles it allows. This walks every route of the whole app, as
 * `main` wires it, with no token, with a revoked token and with each role.
 */
let t: TestCentinela;
beforeAll(async () => {
  t = await startTestCentinela('sqlite');
});
afterAll(async () => {
  await t?.stop();
});

/** Routes anyone may call. Adding one is a security decision: it must be listed here. */
const PUBLIC_ROUTES = new Set([
  'GET /healthz',
  'GET /readyz',
  'GET /metrics',
  // The console's own shell and login (the pages hold no data until the API answers).
  'GET /',
  'GET /login',
  'POST /login',
  'POST /logout',
  // Twilio calls these; they answer 403 without a valid X-Twilio-Signature.
  'POST /api/twilio/sms-status',
  'POST /api/twilio/voice/:notificationId',
  'POST /api/twilio/gather/:notificationId',
  'POST /api/twilio/inbound-sms',
  'POST /api/twilio/voice-status/:notificationId',
  // Issue 18: a call to the centre's number to check in by keypress; signed like the others.
  'POST /api/twilio/check-in/voice',
  'POST /api/twilio/check-in/gather',
  // Garmin IPC Outbound (only when CENTINELA_INREACH_TOKEN is set); 401 without that token.
  'POST /api/gateways/inreach',
]);

const concrete = (url: string) => url.replace(/:(\w+)/g, 'no-such-$1').replace(/\*$/, 'index.html');

async function statusOf(method: string, url: string, token?: string): Promise<number> {
  const controller = new AbortController();
  const res = await fetch(`${t.centinela.httpUrl}${concrete(url)}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(method === 'GET' || method === 'DELETE' ? {} : { 'content-type': 'application/json' }),
    },
    ...(method === 'GET' || method === 'DELETE' ? {} : { body: '{}' }),
    signal: controller.signal,
  });
  // Only the status matters; a stream (server-sent events) would never end.
  controller.abort();
  return res.status;
}

describe('the role matrix', () => {
  it('covers the whole API and every route declares its roles', () => {
    const api = t.centinela.app.routeCatalogue.filter((r) => r.url.startsWith('/api/'));
    expect(api.length).toBeGreaterThan(20);
    for (const route of t.centinela.app.routeCatalogue) {
      if (route.access === 'public' && !route.url.startsWith('/docs') && !route.url.startsWith('/assets')) {
        expect(PUBLIC_ROUTES, `${route.method} ${route.url} is public but not on the reviewed list`).toContain(
          `${route.method} ${route.url}`,
        );
      }
    }
  });

  it('refuses every protected route without a token (401) and with a made-up token (401)', async () => {
    const failures: string[] = [];
    for (const route of t.centinela.app.routeCatalogue) {
      if (route.access === 'public') continue;
      const none = await statusOf(route.method, route.url);
      const bogus = await statusOf(route.method, route.url, 'cnt_not-a-real-token-at-all-000000000000');
      if (none !== 401 || bogus !== 401) failures.push(`${route.method} ${route.url}: no token → ${none}, bogus token → ${bogus}`);
    }
    expect(failures).toEqual([]);
  });

  it('answers 403 to every role a route does not allow, and lets the allowed roles through', async () => {
    const failures: string[] = [];
    for (const route of t.centinela.app.routeCatalogue) {
      if (route.access === 'public') continue;
      for (const role of ROLES) {
        const status = await statusOf(route.method, route.url, t.tokens[role]);
        const allowed = route.access.includes(role);
        if (allowed && (status === 401 || status === 403)) failures.push(`${role} ${route.method} ${route.url}: allowed but got ${status}`);
        if (!allowed && status !== 403) failures.push(`${role} ${route.method} ${route.url}: not allowed but got ${status}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('refuses a revoked token on the very next request', async () => {
    const me = await fetch(`${t.centinela.httpUrl}/api/me`, { headers: { authorization: `Bearer ${t.tokens.operator}` } });
    expect(me.status).toBe(200);
    const { userId } = (await me.json()) as { userId: string };
    const revoke = await fetch(`${t.centinela.httpUrl}/api/users/${userId}/revoke-tokens`, {
      method: 'POST',
      headers: { authorization: `Bearer ${t.tokens.admin}` },
    });
    expect(await revoke.json()).toEqual({ revoked: 1 });
    expect(await statusOf('GET', '/api/me', t.tokens.operator)).toBe(401);
  });
});
