import { describe, expect, it } from 'vitest';
import { createLogger } from '../../platform/index.ts';
import { effectiveBacklog, MQTT_LISTEN_BACKLOG, readSomaxconn, reportListenBacklog } from './listen-backlog.ts';

function captured() {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({ level: 'info', destination: { write: (l: string) => lines.push(JSON.parse(l)) } });
  return { logger, lines };
}

describe('the MQTT listen queue', () => {
  it("is what the kernel allows, up to Centinela's own ask", () => {
    expect(readSomaxconn('4096\n')).toBe(4096);
    expect(readSomaxconn('nonsense')).toBeUndefined();
    expect(readSomaxconn('')).toBeUndefined();
    expect(effectiveBacklog(4096)).toBe(4096);
    expect(effectiveBacklog(1_000_000)).toBe(MQTT_LISTEN_BACKLOG);
    expect(effectiveBacklog(undefined)).toBe(MQTT_LISTEN_BACKLOG);
  });

  it('is reported at start, with a warning naming the setting when the kernel caps it low', () => {
    const ok = captured();
    reportListenBacklog(ok.logger, 4096);
    expect(ok.lines).toEqual([expect.objectContaining({ level: 30, listenBacklog: 4096 })]);

    const low = captured();
    reportListenBacklog(low.logger, 128);
    expect(low.lines).toEqual([expect.objectContaining({ level: 40, listenBacklog: 128, recommended: 4096 })]);
    expect(String(low.lines[0]?.msg)).toContain('net.core.somaxconn');

    const unknown = captured();
    reportListenBacklog(unknown.logger, undefined);
    expect(unknown.lines).toEqual([]);
  });
});
