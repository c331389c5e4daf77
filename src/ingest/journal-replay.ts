import type { AlarmJournal, AlarmPress } from '../store/index.ts';
import type { IngestContext } from './context.ts';
import { announceStored } from './handlers/alarm.ts';
import { withinBound } from './store-bound.ts';

/** How often the journal is offered to the database while it holds presses. */
export const REPLAY_EVERY_MS = 500;
const CHUNK = 500;

/**
 * Replays journaled alarm presses into the database once it answers again (issue 13 §2): the
 * oldest press first, alone, as a probe — a database still away costs one bounded attempt per
 * round, not one per press — then the rest in chunks through the group commit. Each press
 * stored is announced (`alarm.raised`, so escalation runs) unless the database already had it (a
 * commit that landed late, or a replay cut short by a crash): exactly once either way. Presses the
 * journal took without knowing their device's person get it from the registry first.
 */
export class JournalReplay {
  private readonly timer: NodeJS.Timeout;
  private running: Promise<void> | undefined;
  /** Replayed presses still queued for a commit: while any is, a stalled database gets no more. */
  private unsettled = 0;

  constructor(
    private readonly ctx: IngestContext,
    private readonly journal: AlarmJournal,
    everyMs = REPLAY_EVERY_MS,
  ) {
    this.timer = setInterval(() => void this.replay(), everyMs);
    this.timer.unref();
    void this.replay();
  }

  /** One round now (or the one under way). */
  replay(): Promise<void> {
    this.ctx.metrics.alarmJournalPending.set(this.journal.pendingCount);
    if (this.journal.pendingCount === 0 || this.unsettled > 0) return Promise.resolve();
    this.running ??= this.round().finally(() => {
      this.running = undefined;
      this.ctx.metrics.alarmJournalPending.set(this.journal.pendingCount);
    });
    return this.running;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  private async round(): Promise<void> {
    const pending = this.journal.pending();
    // The oldest press probes the database; if it fails, the newest does too, so one press the
    // store refuses for good cannot hold the others in the journal.
    const [first, last] = [pending[0], pending.length > 1 ? pending.at(-1) : undefined];
    if (!first || !((await this.store([first])) > 0 || (last && (await this.store([last])) > 0))) return;
    this.ctx.alarmStore.away = false;
    const rest = pending.slice(1, last ? -1 : undefined);
    for (let i = 0; i < rest.length; i += CHUNK) if ((await this.store(rest.slice(i, i + CHUNK))) === 0) return;
    this.ctx.logger.info({ pending: this.journal.pendingCount }, 'journaled alarms replayed into the database');
  }

  /** Stores what it can of `presses`; answers how many it stored (0 while the database is away). */
  private async store(presses: AlarmPress[]): Promise<number> {
    const { timeoutMs } = this.ctx.alarmStore;
    const viewed = await withinBound(Promise.all(presses.map((p) => this.withPerson(p))), timeoutMs);
    if (!viewed.ok) return 0;
    // Each press is announced and leaves the journal when its commit lands — within the bound or
    // after it (a stalled commit), so none is stored without being announced.
    const results = await Promise.all(
      viewed.value.map((p) => {
        this.unsettled++;
        const commit = this.ctx.alarmCommits
          .submit(p)
          .then(async (outcome) => {
            announceStored(this.ctx, p, outcome);
            this.ctx.metrics.alarmsReplayed.inc();
            // Left pending on failure, it is replayed again: the database recognises it.
            await this.journal
              .markReplayed([p])
              .catch((err: unknown) => this.ctx.logger.warn({ err }, 'could not mark a journaled alarm as replayed'));
          })
          .finally(() => this.unsettled--);
        return withinBound(commit, timeoutMs);
      }),
    );
    return results.filter((r) => r.ok).length;
  }

  private async withPerson(p: AlarmPress): Promise<AlarmPress> {
    if (p.beneficiaryId !== null) return p;
    const view = this.ctx.views.remember(p.deviceId, await this.ctx.repos.devices.intakeView(p.deviceId));
    return { ...p, beneficiaryId: view?.beneficiaryId ?? null };
  }
}
