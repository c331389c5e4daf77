import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDc09Keys } from './keys.ts';

const file = (content: string) => {
  const f = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dc09keys-')), 'keys.json');
  fs.writeFileSync(f, content);
  return f;
};

describe('the DC-09 keys file', () => {
  it('reads AES-128 and AES-256 keys per account', () => {
    const keys = loadDc09Keys(file(JSON.stringify({ accounts: { '1234': { key: '00'.repeat(16) }, ABC5678: { key: 'ff'.repeat(32) } } })));
    expect(keys.get('1234')?.length).toBe(16);
    expect(keys.get('ABC5678')?.length).toBe(32);
  });

  it('is empty when no file is configured', () => {
    expect(loadDc09Keys(undefined).size).toBe(0);
  });

  it('stops the start on a bad key, naming the account but never echoing the key', () => {
    const secret = 'abcdef0123456789abcdef01234567';
    expect(() => loadDc09Keys(file(JSON.stringify({ accounts: { '1234': { key: secret } } })))).toThrow(
      /accounts\.1234\.key: expected an AES/,
    );
    try {
      loadDc09Keys(file(JSON.stringify({ accounts: { '1234': { key: secret } } })));
    } catch (err) {
      expect((err as Error).message).not.toContain(secret);
    }
  });

  it('stops the start on a file that cannot be read or is not JSON', () => {
    expect(() => loadDc09Keys('/no/such/file.json')).toThrow(/CENTINELA_DC09_KEYS_FILE: cannot read/);
    expect(() => loadDc09Keys(file('{"accounts": {"1234": {"key": "00112233"'))).toThrow(/CENTINELA_DC09_KEYS_FILE: .* is not valid JSON$/);
  });
});
