import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { raiseAlarm, seedCase } from './fixtures/alerts-world.ts';
import { startTestCentinela, type TestCentinela } from './fixtures/centinela.ts';

/**
 * Issue 13 point 5: a full disk, for real — Centinela's data directory on an 8 MiB tmpfs filled
 * to the last byte (this suite needs root to mount it, and says so if it cannot).
 */
let t: TestCentinela | undefined;
let mountPoint: string | undefined;

afterEach(async () => {
  await t?.stop();
  t = undefined;
  if (mountPoint) {
    execFileSync('umount', [mountPoint]);
    fs.rmdirSync(mountPoint);
    mountPoint = undefined;
  }
});

function mountSmallDisk(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'centinela-full-disk-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=8m', 'tmpfs', dir], { stdio: 'pipe' });
  } catch (err) {
    fs.rmdirSync(dir);
    throw new Error(`this suite mounts an 8 MiB tmpfs and needs root to do it: ${(err as Error).message}`);
  }
  return dir;
}

/** Writes zeros until the disk refuses (ENOSPC); returns the filler's path. */
function fillDisk(dir: string): string {
  const filler = path.join(dir, 'filler');
  const fd = fs.openSync(filler, 'w');
  const chunk = Buffer.alloc(64 * 1024);
  try {
    for (;;) fs.writeSync(fd, chunk);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
  } finally {
    fs.closeSync(fd);
  }
  // The last partial blocks too, so nothing at all is left.
  try {
    for (;;) fs.appendFileSync(filler, Buffer.alloc(512));
  } catch {}
  return filler;
}

test('a full disk: /readyz is 503 and says so, operators get answers or a 503 with the reason (never a 500), and the log says "disk full" once', {
  timeout: 60_000,
}, async () => {
  mountPoint = mountSmallDisk();
  const dataDir = path.join(mountPoint, 'data');
  t = await startTestCentinela('sqlite', { env: { CENTINELA_DATA_DIR: dataDir } });
  const c = t.centinela;
  const kase = await seedCase(c);
  const alarmId = await raiseAlarm(c, { deviceId: kase.deviceId, beneficiaryId: kase.beneficiary.id });
  const get = (url: string) => fetch(`${c.httpUrl}${url}`, { headers: { authorization: `Bearer ${t?.tokens.operator}` } });
  expect((await fetch(`${c.httpUrl}/readyz`)).status).toBe(200);

  const filler = fillDisk(mountPoint);
  // /readyz probes the store at most once a second: within about a second it tells.
  let readyz = await fetch(`${c.httpUrl}/readyz`);
  for (let i = 0; i < 30 && readyz.status === 200; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    readyz = await fetch(`${c.httpUrl}/readyz`);
  }
  expect(readyz.status).toBe(503);
  expect(await readyz.json()).toMatchObject({
    status: 'not_ready',
    checks: { database: false },
    reasons: { database: expect.stringMatching(/disk is full/) },
  });

  // The operators' reads: an answer, or a 503 that says why — never a 500.
  const statuses: number[] = [];
  for (let i = 0; i < 5; i++) {
    const list = await get('/api/alarms');
    statuses.push(list.status);
    if (list.status === 503)
      expect(((await list.json()) as { error: unknown }).error).toMatchObject({
        code: 'CENTINELA_ERR_STORE_UNAVAILABLE',
        message: expect.stringMatching(/disk is full/),
      });
  }
  expect(statuses.every((s) => s === 200 || s === 503)).toBe(true);
  // A write cannot succeed: taking charge of the alarm answers 503 and why, so the operator knows.
  const ack = await fetch(`${c.httpUrl}/api/alarms/${alarmId}/acknowledge`, {
    method: 'POST',
    headers: { authorization: `Bearer ${t.tokens.operator}`, 'content-type': 'application/json' },
    body: '{}',
  });
  expect(ack.status).toBe(503);
  expect(((await ack.json()) as { error: { message: string } }).error.message).toMatch(/disk is full/);
  // Let the escalation loop run several passes against the full disk (it polls every 200 ms).
  await new Promise((resolve) => setTimeout(resolve, 1500));
  expect((await fetch(`${c.httpUrl}/readyz`)).status).toBe(503);

  const lines = t.logs.map((l) => `${String(l.msg)} ${JSON.stringify(l.err ?? '')}`);
  expect(lines.filter((l) => /cannot rollback/.test(l))).toEqual([]);
  expect(t.logs.filter((l) => /disk is full/.test(String(l.msg)))).toHaveLength(1);
  expect(t.logs.filter((l) => l.msg === 'unexpected error')).toEqual([]);

  // Room again: ready again, and the log says so.
  fs.rmSync(filler);
  let ready = 503;
  for (let i = 0; i < 40 && ready !== 200; i++) {
    ready = (await fetch(`${c.httpUrl}/readyz`)).status;
    if (ready !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  expect(ready).toBe(200);
  expect((await get('/api/alarms')).status).toBe(200);
  expect(t.logs.some((l) => l.msg === 'store commits again')).toBe(true);
});
