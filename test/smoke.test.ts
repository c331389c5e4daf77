import { describe, expect, it } from 'vitest';
import { startTestCentinela } from './fixtures/centinela.ts';

describe.each(['sqlite', 'postgres'] as const)('a whole Centinela on %s', (engine) => {
  it('answers readiness and serves the registry to an admin', async () => {
    const t = await startTestCentinela(engine);
    try {
      const ready = await fetch(`${t.centinela.httpUrl}/readyz`);
      expect(ready.status).toBe(200);
      const models = await fetch(`${t.centinela.httpUrl}/api/device-models`, { headers: { authorization: `Bearer ${t.tokens.admin}` } });
      expect(((await models.json()) as { id: string }[]).map((m) => m.id)).toContain('panic-button');
    } finally {
      await t.stop();
    }
  });
});
