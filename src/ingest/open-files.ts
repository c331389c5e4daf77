import fs from 'node:fs';
import type { Logger } from '../platform/index.ts';
import type { IngestMetrics } from './metrics.ts';

/** Share of the open-file limit at which Centinela warns and /readyz reports `open_files: false`. */
export const NEAR_LIMIT = 0.9;
/** At most one log line a minute about refused connections, however many there are. */
const REFUSAL_LOG_EVERY_MS = 60_000;

/** The soft "Max open files" of this process (Linux /proc), or undefined where it cannot be read. */
export function readOpenFileLimit(limitsText: string | undefined = readProc('/proc/self/limits')): number | undefined {
  const m = limitsText ? /^Max open files\s+(\d+)/m.exec(limitsText) : null;
  return m ? Number(m[1]) : undefined;
}

/**
 * Files kept free for everything that is not a device: SQLite, HTTP clients (/readyz, the
 * console, the live stream), Twilio and Redis connections. MQTT connections beyond the rest are
 * refused cleanly and counted, instead of the process failing silently at the limit.
 */
export function mqttConnectionCeiling(limit: number): number {
  const reserve = Math.min(500, Math.max(64, Math.round(limit * 0.02)));
  return Math.max(1, limit - reserve);
}

function readProc(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

async function countOpenFiles(): Promise<number | undefined> {
  try {
    return (await fs.promises.readdir('/proc/self/fd')).length;
  } catch {
    return undefined;
  }
}

/**
 * Makes the open-file limit visible (docs/capacity.md): one process holds at most about one
 * device per open file. At 90 % of the limit it logs a warning and readiness turns false; MQTT
 * connections refused at the ceiling are counted and logged at most once a minute.
 */
export class OpenFilesWatch {
  private near = false;
  private refusedSinceLog = 0;
  private lastRefusalLog = Number.NEGATIVE_INFINITY;
  private readonly timer: NodeJS.Timeout | undefined;

  constructor(
    readonly limit: number | undefined,
    private readonly logger: Logger,
    private readonly metrics: IngestMetrics,
    private readonly now: () => number = Date.now,
    private readonly count: () => Promise<number | undefined> = countOpenFiles,
    everyMs = 5_000,
  ) {
    if (limit === undefined) {
      logger.info('open-file limit unknown on this system: not watched');
      return;
    }
    this.timer = setInterval(() => void this.check(), everyMs).unref();
  }

  /** True while the process holds at least 90 % of its open-file limit. */
  nearLimit(): boolean {
    return this.near;
  }

  async check(): Promise<void> {
    const open = await this.count();
    if (open === undefined || this.limit === undefined) return;
    // Back under 85 % before it is called normal again, so the log does not flap at the line.
    const next = this.near ? open >= this.limit * (NEAR_LIMIT - 0.05) : open >= this.limit * NEAR_LIMIT;
    if (next === this.near) return;
    this.near = next;
    this.metrics.openFilesNearLimit.set(next ? 1 : 0);
    if (next)
      this.logger.warn(
        { openFiles: open, limit: this.limit },
        'open files at 90 % of the process limit: new devices will soon be refused (docs/capacity.md)',
      );
    else this.logger.info({ openFiles: open, limit: this.limit }, 'open files back under the warning level');
  }

  /** An MQTT connection refused because the process is at its ceiling. */
  refused(): void {
    this.metrics.connectionsRefused.inc({ reason: 'open_file_limit' });
    this.refusedSinceLog += 1;
    const now = this.now();
    if (now - this.lastRefusalLog < REFUSAL_LOG_EVERY_MS) return;
    this.logger.error(
      { refused: this.refusedSinceLog, limit: this.limit },
      'mqtt connections refused: the process is at its open-file limit (docs/capacity.md)',
    );
    this.refusedSinceLog = 0;
    this.lastRefusalLog = now;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
