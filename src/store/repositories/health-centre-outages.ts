import type { Kysely } from 'kysely';
import type { Span } from '../../domain/reports-spans.ts';
import { newId } from '../ids.ts';
import type { Database } from '../schema.ts';

/**
 * Centinela's own heartbeat, in its database. A gap between the last "alive" stamp and a start is
 * an outage of the centre: recorded, and excluded from devices' availability (their silence then
 * was not theirs to answer for).
 */
export class CentreOutageRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** On start: records the outage since the last stamp (if longer than `minGapMs`); returns it. */
  async recordStart(now: number, minGapMs: number): Promise<Span | null> {
    const last = await this.db.selectFrom('health_centre_alive').select('alive_at').where('id', '=', 1).executeTakeFirst();
    let outage: Span | null = null;
    if (last && now - last.alive_at > minGapMs) {
      outage = [last.alive_at, now];
      await this.db
        .insertInto('health_centre_outages')
        .values({ id: newId('out'), started_at: last.alive_at, ended_at: now })
        .execute();
    }
    await this.db
      .insertInto('health_centre_alive')
      .values({ id: 1, alive_at: now, started_at: now })
      .onConflict((oc) => oc.column('id').doUpdateSet({ alive_at: now, started_at: now }))
      .execute();
    return outage;
  }

  async stamp(now: number): Promise<void> {
    await this.db.updateTable('health_centre_alive').set({ alive_at: now }).where('id', '=', 1).execute();
  }

  async list(from: number, to: number): Promise<Span[]> {
    const rows = await this.db
      .selectFrom('health_centre_outages')
      .select(['started_at', 'ended_at'])
      .where('ended_at', '>', from)
      .where('started_at', '<', to)
      .orderBy('started_at')
      .execute();
    return rows.map((r) => [r.started_at, r.ended_at] as const);
  }
}
