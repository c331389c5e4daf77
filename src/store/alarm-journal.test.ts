import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../platform/index.ts';
import { AlarmJournal, JOURNAL_FILE } from './alarm-journal.ts';
import type { AlarmPress } from './repositories/alarm-intake.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function setup() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'centinela-journal-'));
  dirs.push(dir);
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({
    level: 'info',
    destination: new Writable({
      write(chunk, _e, done) {
        for (const l of String(chunk).split('\n')) if (l.trim()) lines.push(JSON.parse(l));
        done();
      },
    }),
  });
  return { dir, file: path.join(dir, JOURNAL_FILE), lines, open: () => AlarmJournal.open(dir, logger, 1_700_000_000_000) };
}

const press = (n: number): AlarmPress => ({
  deviceId: 'pb-1',
  deviceAlarmId: `a-${n}`,
  kind: 'panic',
  test: false,
  raisedAt: 1000 + n,
  receivedAt: 1000 + n,
  clockSuspect: false,
  beneficiaryId: 'ben-1',
});

describe('the local alarm journal', () => {
  it('keeps acknowledged presses across a reopen until they are marked replayed, then empties the file', async () => {
    const s = setup();
    const j = s.open();
    await Promise.all([j.append(press(1)), j.append(press(2)), j.append(press(1))]);
    j.close();
    const again = s.open();
    expect(again.pending().map((p) => p.deviceAlarmId)).toEqual(['a-1', 'a-2']);
    await again.markReplayed([press(1)]);
    again.close();
    const third = s.open();
    expect(third.pending()).toEqual([press(2)]);
    await third.markReplayed([press(2)]);
    expect(fs.statSync(s.file).size).toBe(0);
    third.close();
  });

  it('reads a file cut mid-write up to its last whole record and keeps the rest aside with a log line', async () => {
    const s = setup();
    const j = s.open();
    await j.append(press(1));
    await j.append(press(2));
    j.close();
    const whole = fs.readFileSync(s.file);
    // A crash in the middle of the third record's write.
    fs.appendFileSync(s.file, whole.subarray(0, 40));
    const reopened = s.open();
    expect(reopened.pending().map((p) => p.deviceAlarmId)).toEqual(['a-1', 'a-2']);
    expect(fs.readFileSync(path.join(s.dir, `${JOURNAL_FILE}.damaged-1700000000000`))).toEqual(whole.subarray(0, 40));
    expect(s.lines.some((l) => l.level === 50 && String(l.msg).includes('alarm journal damaged'))).toBe(true);
    // Appends after the repair are read back after another crash.
    await reopened.append(press(3));
    reopened.close();
    expect(
      s
        .open()
        .pending()
        .map((p) => p.deviceAlarmId),
    ).toEqual(['a-1', 'a-2', 'a-3']);
  });

  it('stops at a garbled record: what follows it is kept aside, nothing before it is lost', async () => {
    const s = setup();
    const j = s.open();
    await j.append(press(1));
    await j.append(press(2));
    j.close();
    const text = fs.readFileSync(s.file, 'utf8');
    const [first, second] = text.split('\n');
    fs.writeFileSync(s.file, `${first}\n${(second as string).replace('a-2', 'a-9')}\n`);
    const reopened = s.open();
    expect(reopened.pending().map((p) => p.deviceAlarmId)).toEqual(['a-1']);
    expect(fs.readdirSync(s.dir).filter((f) => f.includes('damaged'))).toHaveLength(1);
    reopened.close();
  });
});
