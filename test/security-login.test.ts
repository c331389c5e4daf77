import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addConsoleUser, PASSWORD } from './fixtures/browser.ts';
import { startTestCentinela, type TestCentinela } from './fixtures/centinela.ts';

let t: TestCentinela;
let base: string;
beforeAll(async () => {
  t = await startTestCentinela('sqlite');
  base = t.centinela.httpUrl;
});
afterAll(async () => {
  await t?.stop();
});

const ATTACKER = '127.0.0.2';
const VICTIM = '127.0.0.3';

/** Posts the login form from a given loopback source address (the client socket is bound to it). */
function loginFrom(localAddress: string, username: string, password: string): Promise<{ status: number; cookie: string | undefined }> {
  const body = new URLSearchParams({ username, password }).toString();
  const url = new URL('/login', base);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        localAddress,
        agent: false,
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: base, 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, cookie: res.headers['set-cookie']?.[0] }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('failed console logins slow the source without locking the user out (issue 15)', () => {
  it('twenty wrong passwords for an operator from one address do not stop the operator logging in from another', async () => {
    const victim = await addConsoleUser(t, 'operator');
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) statuses.push((await loginFrom(ATTACKER, victim.name, `guess-${i}`)).status);
    expect(statuses.slice(0, 3)).toEqual([401, 401, 401]);
    expect(statuses).toContain(429);
    // The guesser is slowed: even the right password waits at the guessing address…
    const guesser = await loginFrom(ATTACKER, victim.name, PASSWORD);
    expect(guesser.status).toBe(429);
    expect(guesser.cookie).toBeUndefined();
    // …but the operator, from an address that did not fail, gets in at once.
    const own = await loginFrom(VICTIM, victim.name, PASSWORD);
    expect(own.status).toBe(303);
    expect(own.cookie).toMatch(/^centinela_session=/);
  });

  it('an address spraying many names is slowed for every name it tries, and other addresses are not', async () => {
    const names = await Promise.all(Array.from({ length: 3 }, () => addConsoleUser(t, 'supervisor')));
    const spray: number[] = [];
    for (let i = 0; i < 40; i++) spray.push((await loginFrom(ATTACKER, `nobody-${i}`, 'guess')).status);
    expect(spray.at(-1)).toBe(429);
    expect((await loginFrom(ATTACKER, (names[0] as { name: string }).name, PASSWORD)).status).toBe(429);
    for (const n of names) expect((await loginFrom(VICTIM, n.name, PASSWORD)).status).toBe(303);
  });

  it('a mistyped password from the user’s own address does not lock the account for others', async () => {
    const user = await addConsoleUser(t, 'operator');
    for (let i = 0; i < 3; i++) expect((await loginFrom(VICTIM, user.name, `typo-${i}`)).status).toBe(401);
    expect((await loginFrom(VICTIM, user.name, PASSWORD)).status).toBe(429);
    expect((await loginFrom('127.0.0.4', user.name, PASSWORD)).status).toBe(303);
  });
});
