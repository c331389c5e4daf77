import type { Kysely } from 'kysely';
import type { Engine } from '../database.ts';

/**
 * Issue 17: devices that do not speak the MQTT contract are known by the identifier their own
 * protocol carries (GT06/Iridium IMEI, inReach IMEI, SIA DC-09 account), unique across devices;
 * and an alarm from such a device keeps the frame it came in, as hex, for forensics.
 */
export async function up(db: Kysely<unknown>, _engine: Engine): Promise<void> {
  await db.schema.alterTable('devices').addColumn('hardware_id', 'text').execute();
  await db.schema.createIndex('devices_hardware_id').on('devices').column('hardware_id').unique().execute();
  await db.schema.alterTable('alarms').addColumn('frame_hex', 'text').execute();
}
