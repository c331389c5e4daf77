import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from '../platform/index.ts';
import type { AlarmPress } from './repositories/alarm-intake.ts';

/** The journal's file in the data folder. */
export const JOURNAL_FILE = 'alarm-journal.log';

type Entry = { t: 'press'; press: AlarmPress } | { t: 'replayed'; keys: string[] };

const keyOf = (p: AlarmPress) => `${p.deviceId}\n${p.deviceAlarmId}`;
const checksum = (json: string) => createHash('sha256').update(json).digest('hex').slice(0, 16);
const encode = (e: Entry) => {
  const json = JSON.stringify(e);
  return `${checksum(json)} ${json}\n`;
};

/** One whole line, checked; undefined for a line a crash cut short or garbled. */
function decode(line: string): Entry | undefined {
  const space = line.indexOf(' ');
  if (space !== 16) return undefined;
  const json = line.slice(17);
  if (checksum(json) !== line.slice(0, 16)) return undefined;
  try {
    return JSON.parse(json) as Entry;
  } catch {
    return undefined;
  }
}

/**
 * P1 while the database is away (issue 13; docs/architecture.md, "When the database is slow or
 * away"): alarm presses the store could not take in time are appended here, each line
 * checksummed, and made durable with fdatasync before the device gets its PUBACK. Presses
 * appended together share one write and one sync. A press is pending until it is marked replayed
 * (stored in the database); once none is pending the file is emptied. Replaying twice is
 * harmless: alarm_presses' key (device, device alarm id) recognises a press already stored.
 *
 * At open, a file a crash cut mid-write is read up to its last whole, valid record; the rest is
 * moved aside to `alarm-journal.log.damaged-<time>` with a log line. Only the write in progress
 * can be damaged by a crash, and its presses were not acknowledged yet.
 */
export class AlarmJournal {
  private readonly pendingByKey = new Map<string, AlarmPress>();
  private queued: { line: string; settle: (err?: unknown) => void }[] = [];
  private flushing: Promise<void> | undefined;

  private constructor(private fd: number) {}

  static open(dir: string, logger: Logger, now = Date.now()): AlarmJournal {
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, JOURNAL_FILE);
    const bytes = fs.existsSync(file) ? fs.readFileSync(file) : Buffer.alloc(0);
    const entries: Entry[] = [];
    let good = 0;
    while (good < bytes.length) {
      const end = bytes.indexOf(0x0a, good);
      if (end < 0) break;
      const entry = decode(bytes.subarray(good, end).toString('utf8'));
      if (!entry) break;
      entries.push(entry);
      good = end + 1;
    }
    if (good < bytes.length) {
      const aside = `${file}.damaged-${now}`;
      fs.writeFileSync(aside, bytes.subarray(good));
      fs.truncateSync(file, good);
      logger.error(
        { file, keptAside: aside, validBytes: good, damagedBytes: bytes.length - good },
        'alarm journal damaged (a crash mid-write?): read up to its last whole record, the rest kept aside',
      );
    }
    const journal = new AlarmJournal(fs.openSync(file, 'a'));
    fs.fsyncSync(journal.fd);
    for (const e of entries) {
      if (e.t === 'press') journal.pendingByKey.set(keyOf(e.press), e.press);
      else for (const k of e.keys) journal.pendingByKey.delete(k);
    }
    if (journal.pendingByKey.size > 0)
      logger.warn({ pending: journal.pendingByKey.size }, 'alarm journal holds presses not yet in the database; replaying them');
    return journal;
  }

  /** Presses journaled and not yet stored in the database, oldest first. */
  pending(): AlarmPress[] {
    return [...this.pendingByKey.values()];
  }

  get pendingCount(): number {
    return this.pendingByKey.size;
  }

  /** Resolves once the press is on disk (fdatasync); a press already pending is not written again. */
  async append(press: AlarmPress): Promise<void> {
    const key = keyOf(press);
    if (this.pendingByKey.has(key)) return this.write(undefined);
    // Pending before it is durable, so the file is never emptied under a write in flight; a
    // replay of it meanwhile is harmless (the database recognises the press).
    this.pendingByKey.set(key, press);
    try {
      await this.write(encode({ t: 'press', press }));
    } catch (err) {
      if (this.pendingByKey.get(key) === press) this.pendingByKey.delete(key);
      throw err;
    }
  }

  /** The presses are in the database: they leave the journal (the file is emptied when none is left). */
  async markReplayed(presses: readonly AlarmPress[]): Promise<void> {
    const keys = presses.map(keyOf).filter((k) => this.pendingByKey.has(k));
    if (keys.length === 0) return;
    await this.write(encode({ t: 'replayed', keys }));
    for (const k of keys) this.pendingByKey.delete(k);
    if (this.pendingByKey.size === 0) {
      fs.ftruncateSync(this.fd, 0);
      fs.fdatasyncSync(this.fd);
    }
  }

  close(): void {
    fs.closeSync(this.fd);
    this.fd = -1;
  }

  /** Queues a line (or nothing: waits for what is queued) and resolves after the sync that holds it. */
  private write(line: string | undefined): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queued.push({ line: line ?? '', settle: (err) => (err ? reject(err) : resolve()) });
      this.flushing ??= this.flush();
    });
  }

  private async flush(): Promise<void> {
    // After the current I/O phase, so presses read from other sockets in it share this sync.
    await new Promise<void>((r) => setImmediate(r));
    while (this.queued.length > 0) {
      const batch = this.queued;
      this.queued = [];
      const text = batch.map((q) => q.line).join('');
      const before = fs.fstatSync(this.fd).size;
      try {
        if (text) await writeAll(this.fd, Buffer.from(text, 'utf8'));
        await new Promise<void>((res, rej) => fs.fdatasync(this.fd, (err) => (err ? rej(err) : res())));
        for (const q of batch) q.settle();
      } catch (err) {
        // A write cut short (a full disk) must not leave half a line before later records.
        try {
          fs.ftruncateSync(this.fd, before);
        } catch {}
        for (const q of batch) q.settle(err);
      }
    }
    this.flushing = undefined;
  }
}

async function writeAll(fd: number, buffer: Buffer): Promise<void> {
  let offset = 0;
  while (offset < buffer.length) {
    offset += await new Promise<number>((res, rej) =>
      fs.write(fd, buffer, offset, buffer.length - offset, null, (err, n) => (err ? rej(err) : res(n))),
    );
  }
}
