import type { Kysely } from 'kysely';
import { type Location, locationSchema } from '../../domain/wire.ts';
import type { Database } from '../schema.ts';

/** Where an alarm was raised and what the device said, as the console shows it beside the alarm. */
export interface AlarmPlace {
  alarmId: string;
  beneficiaryId: string | null;
  loc: Location | null;
  note: string | null;
}

/**
 * The part of an alarm the console's context panel needs and the alarm view of src/alerts does
 * not carry (the location). An unreadable stored location reads as "no location": the operator
 * still gets the person's contacts and responders (fail toward the alarm).
 */
export class AlarmContextReader {
  constructor(private readonly db: Kysely<Database>) {}

  async find(alarmId: string): Promise<AlarmPlace | undefined> {
    const row = await this.db
      .selectFrom('alarms')
      .select(['id', 'beneficiary_id', 'loc', 'note'])
      .where('id', '=', alarmId)
      .executeTakeFirst();
    if (!row) return undefined;
    return { alarmId: row.id, beneficiaryId: row.beneficiary_id, loc: readLocation(row.loc), note: row.note };
  }
}

function readLocation(text: string | null): Location | null {
  if (!text) return null;
  try {
    const parsed = locationSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
