import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { createMetrics } from '../platform/metrics.ts';
import type { Repositories } from '../store/index.ts';
import { ACCESS, isDeclaredRule, seesLocations, seesPeopleLinks, seesSmallGroups } from './access-policy.ts';
import { installAuth } from './auth.ts';

function appWithRoute(access: readonly ('operator' | 'supervisor' | 'technician' | 'analyst' | 'admin')[] | 'public') {
  const app = Fastify();
  installAuth(app, { repos: {} as Repositories, metrics: createMetrics() });
  app.get('/api/thing', { config: { access } }, async () => ({}));
  return app;
}

describe('the access policy', () => {
  it('lets a route use any rule it declares, in any order of roles', () => {
    expect(isDeclaredRule(ACCESS.deviceReaders)).toBe(true);
    expect(isDeclaredRule(['admin', 'technician'])).toBe(true);
    expect(isDeclaredRule('public')).toBe(true);
  });

  it('stops the start of an app whose route invents its own set of roles', () => {
    expect(() => appWithRoute(['analyst', 'technician'])).toThrow(
      /GET \/api\/thing declares roles that are not a rule of src\/api\/access-policy\.ts/,
    );
  });

  it('starts an app whose routes use its rules', async () => {
    const app = appWithRoute(ACCESS.personalData);
    await expect(app.ready()).resolves.toBeDefined();
    await app.close();
  });

  it('keeps people, places and small groups from the roles that must not see them', () => {
    expect(seesPeopleLinks('technician')).toBe(false);
    expect(seesLocations('technician')).toBe(false);
    expect(seesSmallGroups('analyst')).toBe(false);
    expect(ACCESS.personalData).not.toContain('technician');
    expect(ACCESS.personalData).not.toContain('analyst');
    expect(ACCESS.deviceReaders).not.toContain('analyst');
    for (const role of ['operator', 'supervisor', 'admin'] as const) {
      expect(seesPeopleLinks(role) && seesLocations(role) && seesSmallGroups(role)).toBe(true);
    }
  });
});
