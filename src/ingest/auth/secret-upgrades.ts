import type { Logger } from '../../platform/index.ts';
import type { Repositories } from '../../store/index.ts';

/**
 * Device secrets stored as scrypt are rewritten as SHA-256 after the device's next successful
 * connect (src/platform/secrets.ts). The rewrites are queued and written in batches, one commit
 * per batch, so a fleet reconnecting after an upgrade costs a few commits, not one per device. A
 * batch that cannot be written stays queued and is tried again; until then the old hash still
 * works (the device is only checked more slowly).
 */
export class SecretUpgrades {
  private readonly pending = new Map<string, { from: string; to: string }>();
  private readonly timer: NodeJS.Timeout;
  private writing: Promise<void> | undefined;

  constructor(
    private readonly repos: Repositories,
    private readonly logger: Logger,
    private readonly options = { everyMs: 1_000, batch: 500, capacity: 100_000 },
  ) {
    this.timer = setInterval(() => void this.flush(), options.everyMs).unref();
  }

  add(deviceId: string, from: string, to: string): void {
    if (this.pending.size >= this.options.capacity && !this.pending.has(deviceId)) return;
    this.pending.set(deviceId, { from, to });
    if (this.pending.size >= this.options.batch) void this.flush();
  }

  /** Writes what is queued now, one batch at a time (tests, shutdown); stops at the first failure. */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
    let written = true;
    while (written && this.pending.size > 0) {
      const batch = [...this.pending].slice(0, this.options.batch).map(([id, u]) => ({ id, ...u }));
      this.writing = this.repos.devices.upgradeSecretHashes(batch).then(
        () => {
          for (const u of batch) if (this.pending.get(u.id)?.to === u.to) this.pending.delete(u.id);
        },
        (err: unknown) => {
          written = false;
          this.logger.warn({ err, devices: batch.length }, 'device secret upgrade not written; retrying later');
        },
      );
      await this.writing;
      this.writing = undefined;
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.flush().catch(() => {});
  }
}
