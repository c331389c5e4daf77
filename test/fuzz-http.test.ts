import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../src/domain/roles.ts';
import { startTestCentinela, type TestCentinela } from './fixtures/centinela.ts';

/**
 * Issue 15: random bodies, path parameters and query strings at every route, as a role the route
 * allows (so the handler, not the access check, meets them). Bounded in time; no answer may be a
 * 5xx and the process must keep serving.
 */
const TOTAL_BUDGET_MS = 20_000;

let t: TestCentinela;
beforeAll(async () => {
  t = await startTestCentinela('sqlite');
});
afterAll(async () => {
  await t?.stop();
});

const body = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  // With `raw`, sent as is under a JSON content type: broken JSON.
  fc.string({ maxLength: 200 }),
  fc.dictionary(
    fc.constantFrom(
      'id',
      'name',
      'role',
      'userId',
      'minutes',
      'startsAt',
      'endsAt',
      'reason',
      'outcome',
      'note',
      'deviceIds',
      'modelId',
      'stateCode',
      'beneficiaryId',
      'phone',
      'password',
      'retiredAt',
      'hardwareId',
      'language',
    ),
    fc.oneof(
      fc.string({ maxLength: 60 }),
      fc.integer(),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
      fc.array(fc.string({ maxLength: 10 }), { maxLength: 3 }),
      fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
    ),
    { maxKeys: 6 },
  ),
);
const segment = fc.oneof(fc.string({ minLength: 1, maxLength: 40 }), fc.constantFrom('..', '%00', 'alm_1', 'pb-1', '1'.repeat(300)));
const query = fc.dictionary(
  fc.constantFrom('limit', 'from', 'to', 'state', 'alarmId', 'reason', 'beneficiaryId', 'month', 'group', 'format', 'lang'),
  fc.string({ maxLength: 30 }),
  { maxKeys: 3 },
);

describe('random requests at every route (issue 15)', () => {
  it('never answer 5xx', async () => {
    const routes = t.centinela.app.routeCatalogue.filter(
      (r) => r.url !== '/api/stream' && !r.url.startsWith('/docs') && !r.url.startsWith('/assets') && r.url !== '/*',
    );
    expect(routes.length).toBeGreaterThan(40);
    const perRouteMs = Math.max(100, Math.floor(TOTAL_BUDGET_MS / routes.length));
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    for (const route of routes) {
      const role: Role | undefined = route.access === 'public' ? undefined : (route.access[0] as Role);
      await fc
        .assert(
          fc.asyncProperty(
            fc.array(segment, { minLength: 3, maxLength: 3 }),
            body,
            query,
            fc.boolean(),
            async (segments, payload, qs, raw) => {
              let i = 0;
              const url = route.url.replace(/:\w+/g, () => encodeURIComponent(segments[i++ % 3] as string)).replace(/\*$/, 'x');
              const search = new URLSearchParams(qs).toString();
              const res = await t.centinela.app.inject({
                method: route.method as 'GET',
                url: search ? `${url}?${search}` : url,
                headers: {
                  ...(role ? { authorization: `Bearer ${t.tokens[role]}` } : {}),
                  ...(route.method === 'GET' || route.method === 'DELETE' ? {} : { 'content-type': 'application/json' }),
                },
                ...(route.method === 'GET' || route.method === 'DELETE'
                  ? {}
                  : { payload: typeof payload === 'string' && raw ? payload : JSON.stringify(payload) }),
              });
              statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
              if (res.statusCode >= 500)
                failures.push(
                  `${route.method} ${route.url} ${url}?${search} ${JSON.stringify(payload)} → ${res.statusCode} ${res.body.slice(0, 200)}`,
                );
              return res.statusCode < 500;
            },
          ),
          { numRuns: 60, interruptAfterTimeLimit: perRouteMs, markInterruptAsFailure: false, endOnFailure: true },
        )
        // A failing request is kept in `failures`; the sweep goes on to the next route.
        .catch(() => undefined);
    }
    // The handlers met the requests: valid ones were served and invalid ones refused as the caller's fault.
    expect(statuses.get(200)).toBeGreaterThan(0);
    expect(statuses.get(400)).toBeGreaterThan(0);
    expect(failures.slice(0, 5)).toEqual([]);
    expect((await t.centinela.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
  });
});
