import { describe, expect, it } from 'vitest';
import { createLogger, createMetrics } from '../platform/index.ts';
import { createIngestMetrics } from './metrics.ts';
import { mqttConnectionCeiling, OpenFilesWatch, readOpenFileLimit } from './open-files.ts';

const LIMITS = `Limit                     Soft Limit           Hard Limit           Units
Max processes             95734                95734                processes
Max open files            20000                40000                files
`;

function rig(limit: number) {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({ level: 'info', destination: { write: (l: string) => lines.push(JSON.parse(l)) } });
  const metrics = createIngestMetrics(createMetrics());
  let open = 0;
  let now = 0;
  const watch = new OpenFilesWatch(
    limit,
    logger,
    metrics,
    () => now,
    async () => open,
    3_600_000,
  );
  return {
    watch,
    lines,
    metrics,
    setOpen: (n: number) => (open = n),
    advance: (ms: number) => (now += ms),
  };
}

describe('the open-file limit', () => {
  it('reads the soft limit of this process', () => {
    expect(readOpenFileLimit(LIMITS)).toBe(20_000);
    expect(readOpenFileLimit('nothing here')).toBeUndefined();
  });

  it('keeps files free for SQLite and HTTP beyond the last MQTT connection', () => {
    expect(mqttConnectionCeiling(20_000)).toBe(19_600);
    expect(mqttConnectionCeiling(1_024)).toBe(960);
  });

  it('warns once at 90 % and says so until the process is back under 85 %', async () => {
    const r = rig(1_000);
    r.setOpen(899);
    await r.watch.check();
    expect(r.watch.nearLimit()).toBe(false);
    r.setOpen(900);
    await r.watch.check();
    await r.watch.check();
    expect(r.watch.nearLimit()).toBe(true);
    expect(r.lines.filter((l) => l.level === 40)).toHaveLength(1);
    r.setOpen(860);
    await r.watch.check();
    expect(r.watch.nearLimit()).toBe(true);
    r.setOpen(849);
    await r.watch.check();
    expect(r.watch.nearLimit()).toBe(false);
    r.watch.stop();
  });

  it('counts every refused connection and logs them at most once a minute', async () => {
    const r = rig(1_000);
    for (let i = 0; i < 5; i++) r.watch.refused();
    r.advance(59_000);
    r.watch.refused();
    r.advance(2_000);
    r.watch.refused();
    const logged = r.lines.filter((l) => l.level === 50);
    expect(logged.map((l) => l.refused)).toEqual([1, 6]);
    expect((await r.metrics.connectionsRefused.get()).values[0]?.value).toBe(7);
    r.watch.stop();
  });
});
