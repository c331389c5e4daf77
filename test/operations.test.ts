import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { runCli, startServe, tempDataDir } from './fixtures/cli.ts';

// Each test starts several centinela processes; on a busy 2-core machine that alone takes tens of seconds.
describe('running centinela serve', { timeout: 120_000 }, () => {
  it('answers /healthz, /readyz and /metrics on embedded defaults', async () => {
    const serve = await startServe({ CENTINELA_DATA_DIR: tempDataDir() });
    try {
      expect((await fetch(`${serve.httpUrl}/healthz`)).status).toBe(200);
      const ready = await fetch(`${serve.httpUrl}/readyz`);
      expect(ready.status).toBe(200);
      expect(((await ready.json()) as { checks: Record<string, boolean> }).checks.database).toBe(true);
      const metrics = await (await fetch(`${serve.httpUrl}/metrics`)).text();
      expect(metrics).toContain('centinela_http_requests_total');
      expect(metrics).toContain('centinela_process_resident_memory_bytes');
    } finally {
      serve.child.kill('SIGTERM');
      await serve.exited;
    }
  });

  it('stops with a message naming the variable when its port is taken', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const serve = startServe({ CENTINELA_DATA_DIR: tempDataDir(), CENTINELA_HTTP_PORT: String(port) });
      await expect(serve).rejects.toThrow(`port ${port} is already in use: set CENTINELA_HTTP_PORT to a free port`);
    } finally {
      blocker.close();
    }
  });

  it('on SIGTERM finishes the writes in flight, then exits 0 with an intact audit chain', async () => {
    const dataDir = tempDataDir();
    const admin = JSON.parse(
      (await runCli(['user', 'add', '--name', 'root.admin', '--role', 'admin', '--json'], { CENTINELA_DATA_DIR: dataDir })).stdout,
    ) as { token: string };
    const serve = await startServe({ CENTINELA_DATA_DIR: dataDir });
    const create = (i: number) =>
      fetch(`${serve.httpUrl}/api/devices`, {
        method: 'POST',
        headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ id: `pb-drain-${i}`, modelId: 'panic-button', stateCode: 'CHP' }),
      }).then(
        (r) => r.status,
        () => 'refused' as const,
      );
    const inFlight = Array.from({ length: 20 }, (_, i) => create(i));
    const first = await Promise.race(inFlight);
    serve.child.kill('SIGTERM');
    const statuses = await Promise.all(inFlight);
    expect(await serve.exited).toEqual({ code: 0, signal: null });
    expect(first).toBe(201);
    // Every request either completed (201) or was refused before it began: nothing half-done.
    expect(statuses.every((s) => s === 201 || s === 'refused' || s === 503)).toBe(true);

    const verify = await runCli(['audit', 'verify', '--json'], { CENTINELA_DATA_DIR: dataDir });
    const created = statuses.filter((s) => s === 201).length;
    // Issue 15: the shutdown checkpoint anchors the whole chain outside the database.
    expect(JSON.parse(verify.stdout)).toEqual({
      ok: true,
      entries: 1 + created,
      checkpoints: expect.any(Number),
      anchoredUpTo: 1 + created,
    });
  });
});
