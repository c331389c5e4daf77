import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../src/api/console/pages.ts';
import { systemActor } from '../src/store/index.ts';
import { seedCase } from './fixtures/alerts-world.ts';
import { addConsoleUser, browserSuite, openConsole, PASSWORD, screenshot } from './fixtures/browser.ts';
import { startTestCentinela, type TestCentinela } from './fixtures/centinela.ts';

const suite = browserSuite();
let base: string;
beforeAll(() => {
  base = suite.t.centinela.httpUrl;
});

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

/** Logs in over plain HTTP, as the browser's form does, and returns the session cookie. */
async function login(name: string, password = PASSWORD): Promise<{ status: number; cookie: string | null; body: string }> {
  const res = await fetch(`${base}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: base },
    body: form({ username: name, password }),
  });
  return { status: res.status, cookie: res.headers.get('set-cookie'), body: await res.text() };
}
const cookieOf = (setCookie: string | null) => (setCookie ?? '').split(';')[0] ?? '';

describe('logging in', () => {
  it('shows an error for a wrong password and sets no cookie', async () => {
    const user = await addConsoleUser(suite.t, 'operator');
    const { context, page, problems } = await openConsole(suite.browser, base);
    await page.goto('/login');
    await page.getByLabel('Usuario').fill(user.name);
    await page.getByLabel('Contraseña').fill('not the password at all');
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/login') && r.request().method() === 'POST'),
      page.getByRole('button', { name: 'Entrar' }).click(),
    ]);
    expect(response.status()).toBe(401);
    expect(await response.headerValue('set-cookie')).toBeNull();
    await page.locator('#login-error').waitFor();
    expect(await page.locator('#login-error').textContent()).toBe('Usuario o contraseña incorrectos.');
    expect(await context.cookies()).toEqual([]);
    await screenshot(page, 'login-wrong-password');
    expect(problems.filter((p) => !p.includes('401'))).toEqual([]);
    await context.close();
  });

  it('sets an HttpOnly, SameSite=Strict session cookie for the right password and opens the console of that role', async () => {
    const user = await addConsoleUser(suite.t, 'analyst');
    const res = await login(user.name);
    expect(res.status).toBe(303);
    expect(res.cookie).toMatch(/^centinela_session=[\w-]{43}; Max-Age=\d+; Path=\/; HttpOnly; SameSite=Strict$/);
    const session = await fetch(`${base}/api/console/session`, { headers: { cookie: cookieOf(res.cookie) } });
    expect(await session.json()).toMatchObject({ name: user.name, role: 'analyst', csrfToken: expect.any(String) });
    // Only a hash of the session id is stored.
    const rows = await suite.t.centinela.store.db.selectFrom('console_sessions').select('id_hash').execute();
    const id = cookieOf(res.cookie).split('=')[1] as string;
    expect(rows.map((r) => r.id_hash)).not.toContain(id);
  });

  it('marks the cookie Secure with the __Host- prefix when the browser is on HTTPS (behind a TLS proxy)', async () => {
    const user = await addConsoleUser(suite.t, 'operator');
    const host = new URL(base).host;
    const res = await fetch(`${base}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: `https://${host}` },
      body: form({ username: user.name, password: PASSWORD }),
    });
    expect(res.status).toBe(303);
    const setCookie = res.headers.get('set-cookie');
    expect(setCookie).toMatch(/^__Host-centinela_session=[\w-]{43}; Max-Age=\d+; Path=\/; HttpOnly; SameSite=Strict; Secure$/);
    expect((await fetch(`${base}/api/console/session`, { headers: { cookie: cookieOf(setCookie) } })).status).toBe(200);
  });

  it('sends a visitor without a session to the login page, in English one click away', async () => {
    const { context, page } = await openConsole(suite.browser, base);
    await page.goto('/');
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.getByRole('link', { name: 'English' }).click();
    await page.getByLabel('User name').waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await screenshot(page, 'login');
    await context.close();
  });

  it('slows down repeated failures: after three wrong passwords even the right one must wait', async () => {
    const user = await addConsoleUser(suite.t, 'operator');
    for (let i = 0; i < 3; i++) expect((await login(user.name, `wrong-${i}`)).status).toBe(401);
    const locked = await login(user.name);
    expect(locked.status).toBe(429);
    expect(locked.cookie).toBeNull();
    expect(locked.body).toContain('Demasiados intentos');
  });

  it('refuses a login form posted from another site', async () => {
    const user = await addConsoleUser(suite.t, 'operator');
    const res = await fetch(`${base}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' },
      body: form({ username: user.name, password: PASSWORD }),
    });
    expect(res.status).toBe(403);
    expect(res.headers.get('set-cookie')).toBeNull();
  });
});

describe('the session', () => {
  it('authenticates reads by cookie but refuses a state change without the CSRF token', async () => {
    const user = await addConsoleUser(suite.t, 'technician');
    const cookie = cookieOf((await login(user.name)).cookie);
    expect((await fetch(`${base}/api/fleet`, { headers: { cookie } })).status).toBe(200);
    const { deviceId } = await seedCase(suite.t.centinela);
    const body = JSON.stringify({ minutes: 5 });
    const json = { 'content-type': 'application/json', cookie };
    // A forged request carries the cookie (browsers attach it) but cannot know the token.
    expect((await fetch(`${base}/api/devices/${deviceId}/test`, { method: 'POST', headers: { ...json, origin: base }, body })).status).toBe(
      401,
    );
    const { csrfToken } = (await (await fetch(`${base}/api/console/session`, { headers: { cookie } })).json()) as { csrfToken: string };
    const crossSite = await fetch(`${base}/api/devices/${deviceId}/test`, {
      method: 'POST',
      headers: { ...json, origin: 'https://evil.example', 'x-centinela-csrf': csrfToken },
      body,
    });
    expect(crossSite.status).toBe(401);
    const ours = await fetch(`${base}/api/devices/${deviceId}/test`, {
      method: 'POST',
      headers: { ...json, origin: base, 'x-centinela-csrf': csrfToken },
      body,
    });
    expect(ours.status).toBe(200);
  });

  it('ends at logout, and the old cookie opens nothing', async () => {
    const user = await addConsoleUser(suite.t, 'operator');
    const cookie = cookieOf((await login(user.name)).cookie);
    const out = await fetch(`${base}/logout`, { method: 'POST', redirect: 'manual', headers: { cookie, origin: base } });
    expect(out.status).toBe(303);
    expect(out.headers.get('set-cookie')).toMatch(/^centinela_session=; Max-Age=0/);
    expect((await fetch(`${base}/api/console/session`, { headers: { cookie } })).status).toBe(401);
  });

  it("ends when an administrator revokes the user's tokens or disables the user", async () => {
    const revoked = await addConsoleUser(suite.t, 'operator');
    const c1 = cookieOf((await login(revoked.name)).cookie);
    expect((await fetch(`${base}/api/console/session`, { headers: { cookie: c1 } })).status).toBe(200);
    await suite.t.centinela.repos.users.revokeTokens(systemActor('test'), revoked.id);
    expect((await fetch(`${base}/api/console/session`, { headers: { cookie: c1 } })).status).toBe(401);

    const disabled = await addConsoleUser(suite.t, 'operator');
    const c2 = cookieOf((await login(disabled.name)).cookie);
    await suite.t.centinela.repos.users.disable(systemActor('test'), disabled.id);
    expect((await fetch(`${base}/api/console/session`, { headers: { cookie: c2 } })).status).toBe(401);
    expect((await login(disabled.name)).status).toBe(401);
  });
});

// Sessions are rows of the main database: the same rules hold on PostgreSQL.
describe('sessions on PostgreSQL', () => {
  let pg: TestCentinela;
  beforeAll(async () => {
    pg = await startTestCentinela('postgres');
  });
  afterAll(async () => {
    await pg?.stop();
  });

  it('logs in, ends at revocation, and refuses a wrong password without a cookie', async () => {
    const user = await addConsoleUser(pg, 'operator');
    const url = pg.centinela.httpUrl;
    const post = (password: string) =>
      fetch(`${url}/login`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: url },
        body: form({ username: user.name, password }),
      });
    const wrong = await post('wrong password here');
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('set-cookie')).toBeNull();
    const cookie = cookieOf((await post(PASSWORD)).headers.get('set-cookie'));
    expect((await fetch(`${url}/api/console/session`, { headers: { cookie } })).status).toBe(200);
    await pg.centinela.repos.users.revokeTokens(systemActor('test'), user.id);
    expect((await fetch(`${url}/api/console/session`, { headers: { cookie } })).status).toBe(401);
  });
});

describe('what the console serves', () => {
  it('serves its pages with a strict Content-Security-Policy and no inline script', async () => {
    const page = await fetch(`${base}/login`);
    expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe');
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(await page.text()).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  });

  it('serves its assets and uPlot under /assets/, and nothing else from the source tree', async () => {
    expect((await fetch(`${base}/assets/js/main.js`)).headers.get('content-type')).toMatch(/javascript/);
    expect((await fetch(`${base}/assets/vendor/uPlot.iife.min.js`)).status).toBe(200);
    expect((await fetch(`${base}/assets/i18n/en.json`)).status).toBe(200);
    for (const path of ['../api/app.ts', '..%2F..%2Fpackage.json', 'js/../../main.ts', 'i18n/../../../package.json'])
      expect((await fetch(`${base}/assets/${path}`)).status, path).toBe(404);
  });

  it("sends the texts with the names of Mexico's states from src/domain/mexico.ts, and a 304 when they have not changed", async () => {
    const first = await fetch(`${base}/assets/i18n/es.json`);
    expect(first.headers.get('content-type')).toMatch(/^application\/json/);
    const texts = (await first.json()) as Record<string, string>;
    expect(Object.keys(texts).filter((k) => k.startsWith('mxstate.'))).toHaveLength(32);
    expect(texts['mxstate.CMX']).toBe('Ciudad de México');
    const etag = first.headers.get('etag') ?? '';
    expect(etag).not.toBe('');
    expect((await fetch(`${base}/assets/i18n/es.json`, { headers: { 'if-none-match': etag } })).status).toBe(304);
    expect((await fetch(`${base}/assets/i18n/en.json`, { headers: { 'if-none-match': etag } })).status).toBe(200);
  });

  it('uses the same keys in both translations', async () => {
    const es = (await (await fetch(`${base}/assets/i18n/es.json`)).json()) as Record<string, string>;
    const en = (await (await fetch(`${base}/assets/i18n/en.json`)).json()) as Record<string, string>;
    expect(Object.keys(en).sort()).toEqual(Object.keys(es).sort());
  });
});
