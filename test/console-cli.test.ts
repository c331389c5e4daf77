import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { BIN, runCli, startServe, tempDataDir } from './fixtures/cli.ts';

/** `centinela user …` reading a password from standard input, as `printf 'pw\n' | centinela …`. */
function runWithStdin(
  args: string[],
  env: Record<string, string>,
  stdin: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, CENTINELA_LOG_LEVEL: 'warn', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

async function logIn(base: string, username: string, password: string): Promise<number> {
  const res = await fetch(`${base}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: base },
    body: new URLSearchParams({ username, password }).toString(),
  });
  return res.status;
}

describe('console passwords from the command line', { timeout: 120_000 }, () => {
  it('user add --password sets a console password the login page accepts; set-password replaces it', async () => {
    const env = { CENTINELA_DATA_DIR: tempDataDir() };
    const added = await runCli(['user', 'add', '--name', 'op.web', '--role', 'operator', '--password', '--json'], {
      ...env,
      CENTINELA_NEW_PASSWORD: 'first password, long enough',
    });
    expect(added.code, added.stderr).toBe(0);
    expect(JSON.parse(added.stdout)).toMatchObject({ user: { name: 'op.web' }, token: expect.any(String) });

    const short = await runCli(['user', 'add', '--name', 'op.short', '--role', 'operator', '--password'], {
      ...env,
      CENTINELA_NEW_PASSWORD: 'short',
    });
    expect(short.code).not.toBe(0);
    expect(short.stderr.trim().split('\n')).toHaveLength(1);

    const changed = await runWithStdin(['user', 'set-password', '--name', 'op.web', '--json'], env, 'second password, from a pipe\n');
    expect(changed.code, changed.stderr).toBe(0);

    const serve = await startServe(env);
    try {
      expect(await logIn(serve.httpUrl, 'op.web', 'first password, long enough')).toBe(401);
      expect(await logIn(serve.httpUrl, 'op.web', 'second password, from a pipe')).toBe(303);
    } finally {
      serve.child.kill('SIGTERM');
      await serve.exited;
    }
  });
});
