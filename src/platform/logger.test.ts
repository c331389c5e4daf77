import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.ts';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { logger: createLogger({ level: 'info', destination }), text: () => lines.join('') };
}

describe('the logger (P6: secrets and personal data never reach logs)', () => {
  it('redacts tokens, secrets, phone numbers, names and locations by key, at any depth', () => {
    const { logger, text } = capture();
    logger.info(
      {
        token: 'cnt_abcdefghijklmnopqrstuvwxyz0123456789',
        secret: 'dev_s3cr3t',
        password: 'correct horse battery staple',
        contact: { name: 'Eusebio Quintero', phone: '+522281234599' },
        beneficiary: { fullName: 'Rosalía Quintero', alias: 'Garza Azul', loc: { lat: 17.55, lon: -99.5 } },
        req: { headers: { authorization: 'Bearer cnt_live' } },
        deviceId: 'pb-001',
      },
      'registered',
    );
    const out = text();
    for (const leaked of [
      'cnt_abcdefghijklmnopqrstuvwxyz0123456789',
      'dev_s3cr3t',
      'correct horse',
      'Eusebio',
      '+522281234599',
      'Rosalía',
      'Garza Azul',
      '17.55',
      'cnt_live',
    ]) {
      expect(out).not.toContain(leaked);
    }
    expect(out).toContain('pb-001');
    expect(out).toContain('[Redacted]');
  });

  it('scrubs phone numbers and bearer tokens out of messages and error texts', () => {
    const { logger, text } = capture();
    logger.warn('SMS to +522281234599 failed');
    logger.error({ err: new Error('request with Bearer cnt_ABCDEFGHIJKLMNOPQRSTUV failed for +15005550006') }, 'provider error');
    const out = text();
    expect(out).not.toContain('+522281234599');
    expect(out).not.toContain('cnt_ABCDEFGHIJKLMNOPQRSTUV');
    expect(out).not.toContain('+15005550006');
    expect(out).toContain('SMS to [Redacted] failed');
  });
});
