import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { CentinelaError } from '../domain/errors.ts';

/** Where the checkpoints and (without CENTINELA_AUDIT_KEY) their key live, inside the data folder. */
export const CHECKPOINT_FILE = 'audit-checkpoints.jsonl';
export const KEY_FILE = 'audit-checkpoint.key';

/** One anchor of the audit chain: "entry `seq` had hash `hash` at `at`", keyed so it cannot be forged. */
export interface AuditCheckpoint {
  seq: number;
  hash: string;
  at: number;
}

/** The checkpoints read back: the genuine ones, and the lines whose key does not match (forged or edited). */
export interface CheckpointReading {
  checkpoints: AuditCheckpoint[];
  forged: { line: number; seq: number }[];
}

const macOf = (key: Buffer, c: AuditCheckpoint) => createHmac('sha256', key).update(`${c.seq}\n${c.hash}\n${c.at}`).digest('hex');

/**
 * Issue 15: the audit chain anchored outside the database (docs/audit.md). Someone who can write
 * to the database can rewrite entries and recompute every hash after them, or delete the newest
 * entries and the head with them; the chain alone cannot tell. These checkpoints, appended to a
 * file in the data folder and keyed with a key that is never in the database, remember how far
 * the chain reached and what its hash was, so `centinela audit verify` can tell.
 */
export class AuditCheckpoints {
  private lastWritten: string | undefined;

  private constructor(
    private readonly file: string,
    private readonly key: Buffer,
  ) {}

  /**
   * The key comes from CENTINELA_AUDIT_KEY or, without it, from a file in the data folder that is
   * created on first use (mode 0600). `create: false` (verifying) never makes a new key: a
   * missing key must not turn every old checkpoint into an apparent forgery.
   */
  static open(dataDir: string, envKey: string | undefined, opts: { create: boolean }): AuditCheckpoints | undefined {
    const file = path.join(dataDir, CHECKPOINT_FILE);
    if (envKey) return new AuditCheckpoints(file, Buffer.from(envKey, 'utf8'));
    const keyFile = path.join(dataDir, KEY_FILE);
    if (fs.existsSync(keyFile)) return new AuditCheckpoints(file, Buffer.from(fs.readFileSync(keyFile, 'utf8').trim(), 'hex'));
    if (!opts.create) {
      if (fs.existsSync(file))
        throw new CentinelaError(
          'CENTINELA_ERR_AUDIT_BROKEN',
          `audit checkpoints exist but their key is missing: restore ${keyFile} or set CENTINELA_AUDIT_KEY`,
        );
      return undefined;
    }
    fs.mkdirSync(dataDir, { recursive: true });
    try {
      fs.writeFileSync(keyFile, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
    } catch (err) {
      // Another process (a CLI command beside `serve`) created it first: use theirs.
      if ((err as { code?: string }).code !== 'EEXIST') throw err;
    }
    return AuditCheckpoints.open(dataDir, undefined, opts);
  }

  /** Appends a checkpoint of the chain's head (skipped when the head has not moved), durably. */
  write(head: { seq: number; hash: string }, at: number): boolean {
    const id = `${head.seq}:${head.hash}`;
    if (id === this.lastWritten || head.seq === 0) return false;
    const c: AuditCheckpoint = { seq: head.seq, hash: head.hash, at };
    const fd = fs.openSync(this.file, 'a', 0o600);
    try {
      fs.writeSync(fd, `${JSON.stringify({ ...c, mac: macOf(this.key, c) })}\n`);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    this.lastWritten = id;
    return true;
  }

  read(): CheckpointReading {
    const reading: CheckpointReading = { checkpoints: [], forged: [] };
    if (!fs.existsSync(this.file)) return reading;
    const lines = fs.readFileSync(this.file, 'utf8').split('\n');
    lines.forEach((text, i) => {
      if (!text.trim()) return;
      let parsed: Partial<AuditCheckpoint & { mac: string }> = {};
      try {
        parsed = JSON.parse(text);
      } catch {
        // An unreadable line is treated as forged: it cannot be vouched for.
      }
      const { seq, hash, at, mac } = parsed;
      const c = { seq: Number(seq), hash: String(hash), at: Number(at) };
      const expected = macOf(this.key, c);
      const genuine =
        Number.isInteger(c.seq) &&
        typeof mac === 'string' &&
        mac.length === expected.length &&
        timingSafeEqual(Buffer.from(mac), Buffer.from(expected));
      if (genuine) reading.checkpoints.push(c);
      else reading.forged.push({ line: i + 1, seq: Number.isInteger(c.seq) ? c.seq : 0 });
    });
    return reading;
  }
}

/** Writes a checkpoint now, then every `intervalMs`, and once more when stopped (on shutdown). */
export function startAuditCheckpoints(
  anchor: AuditCheckpoints,
  head: () => Promise<{ seq: number; hash: string }>,
  now: () => number,
  intervalMs: number,
  onError: (err: unknown) => void,
): { stop(): Promise<void> } {
  const once = async () => {
    try {
      anchor.write(await head(), now());
    } catch (err) {
      onError(err);
    }
  };
  let running = once();
  const timer = setInterval(() => {
    running = running.then(once);
  }, intervalMs);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
      await once();
    },
  };
}
