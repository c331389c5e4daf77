import { type FleetStats, formatStats } from './fleet-stats.ts';

export interface ProgressDisplay {
  stop(): void;
}

/**
 * One line that rewrites itself on a terminal; on a pipe or in CI, a line every `everyMs`
 * (a log full of carriage returns helps nobody).
 */
export function startProgress(
  stream: NodeJS.WritableStream & { isTTY?: boolean },
  stats: () => FleetStats,
  everyMs?: number,
): ProgressDisplay {
  const tty = stream.isTTY === true;
  const write = (final: boolean): void => {
    const line = `fleet: ${formatStats(stats())}`;
    if (tty) stream.write(`\r\x1b[2K${line}${final ? '\n' : ''}`);
    else stream.write(`${line}\n`);
  };
  const timer = setInterval(() => write(false), everyMs ?? (tty ? 500 : 10_000));
  timer.unref();
  return {
    stop: () => {
      clearInterval(timer);
      write(true);
    },
  };
}
