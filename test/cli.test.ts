import path from 'node:path';
import SQLite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { runCli, tempDataDir } from './fixtures/cli.ts';

// Each test starts several centinela processes; on a busy 2-core machine that alone takes tens of seconds.
describe('the centinela command', { timeout: 120_000 }, () => {
  it('creates a user and prints the token once, as JSON with --json', async () => {
    const env = { CENTINELA_DATA_DIR: tempDataDir() };
    const added = await runCli(['user', 'add', '--name', 'op.lopez', '--role', 'operator', '--json'], env);
    expect(added.code).toBe(0);
    const out = JSON.parse(added.stdout) as { user: { name: string; role: string }; token: string };
    expect(out.user).toMatchObject({ name: 'op.lopez', role: 'operator' });
    expect(out.token).toMatch(/^cnt_/);
    const listed = await runCli(['user', 'list', '--json'], env);
    expect(listed.stdout).toContain('op.lopez');
    expect(listed.stdout).not.toContain(out.token);
  });

  it('registers a device and prints its MQTT secret once', async () => {
    const env = { CENTINELA_DATA_DIR: tempDataDir() };
    const added = await runCli(['device', 'add', '--id', 'pb-cli-1', '--model', 'panic-button', '--state', 'OAX', '--json'], env);
    expect(added.code).toBe(0);
    const out = JSON.parse(added.stdout) as { device: { id: string; stateCode: string }; secret: string };
    expect(out.device).toMatchObject({ id: 'pb-cli-1', stateCode: 'OAX' });
    expect(out.secret).toMatch(/^dev_/);
  });

  it('fails with a one-line reason and a non-zero exit on bad input, storing nothing', async () => {
    const env = { CENTINELA_DATA_DIR: tempDataDir() };
    const role = await runCli(['user', 'add', '--name', 'x1', '--role', 'janitor'], env);
    expect(role.code).not.toBe(0);
    expect(role.stderr.trim().split('\n')).toHaveLength(1);
    expect(role.stderr).toContain('janitor');
    const model = await runCli(['device', 'add', '--id', 'pb-x', '--model', 'toaster'], env);
    expect(model.code).toBe(2);
    expect(model.stderr.trim()).toBe(
      'centinela: --model: unknown device model "toaster" (known: camera, dc09-communicator, gt06-tracker, inreach, iridium-sbd, panic-button, satellite-phone)',
    );
    const dup = await runCli(['device', 'add', '--id', 'pb-x', '--model', 'panic-button'], env);
    expect(dup.code).toBe(0);
    const again = await runCli(['device', 'add', '--id', 'pb-x', '--model', 'camera', '--json'], env);
    expect(again.code).toBe(2);
    expect(JSON.parse(again.stdout)).toEqual({ error: { code: 'CENTINELA_ERR_CONFLICT', message: 'device "pb-x" already exists' } });
    const config = await runCli(['migrate'], { ...env, CENTINELA_HTTP_PORT: 'abc' });
    expect(config.code).not.toBe(0);
    expect(config.stderr).toContain('CENTINELA_HTTP_PORT');
  });

  it('verifies the audit chain, and reports the first broken link after a row is edited in the database', async () => {
    const dir = tempDataDir();
    const env = { CENTINELA_DATA_DIR: dir };
    for (const name of ['a.uno', 'b.dos', 'c.tres']) await runCli(['user', 'add', '--name', name, '--role', 'analyst'], env);
    const ok = await runCli(['audit', 'verify', '--json'], env);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toEqual({ ok: true, entries: 3, checkpoints: 3, anchoredUpTo: 3 });

    const db = new SQLite(path.join(dir, 'centinela.db'));
    db.exec('drop trigger audit_log_no_update');
    db.prepare("update audit_log set actor_role = 'admin' where seq = 2").run();
    db.close();
    const broken = await runCli(['audit', 'verify'], env);
    expect(broken.code).not.toBe(0);
    expect(broken.stderr.trim()).toBe('centinela: audit chain broken at entry 2: entry 2 was altered after it was written');
  });
});
