import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { emptyStats } from './fleet-stats.ts';
import { startProgress } from './progress.ts';

function sink(isTTY: boolean) {
  const chunks: string[] = [];
  return {
    chunks,
    stream: Object.assign({ write: (c: string) => chunks.push(c) > 0 }, { isTTY }) as unknown as NodeJS.WritableStream & { isTTY: boolean },
  };
}

describe('fleet progress display', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  test('on a terminal, one line rewritten in place, ended by a newline when stopped', () => {
    const { chunks, stream } = sink(true);
    const p = startProgress(stream, () => ({ ...emptyStats(3), connected: 2 }));
    vi.advanceTimersByTime(1500);
    p.stop();
    expect(chunks.length).toBe(4);
    expect(chunks.every((c) => c.startsWith('\r\x1b[2K'))).toBe(true);
    expect(chunks.at(-1)).toMatch(/devices 2\/3 online.*\n$/);
    expect(chunks.slice(0, -1).some((c) => c.includes('\n'))).toBe(false);
  });

  test('on a pipe, a plain line every ten seconds', () => {
    const { chunks, stream } = sink(false);
    const p = startProgress(stream, () => emptyStats(1));
    vi.advanceTimersByTime(25_000);
    p.stop();
    expect(chunks).toHaveLength(3);
    expect(chunks.every((c) => c.startsWith('fleet: ') && c.endsWith('\n'))).toBe(true);
  });
});
