import type { Transaction } from 'kysely';
import type { AlarmTable, BeneficiaryTable, Database } from '../store/schema.ts';
import type { Templates } from './templates.ts';
import type { Db } from './timeline.ts';

export interface AlarmForMessages {
  alarm: AlarmTable;
  beneficiary: BeneficiaryTable | undefined;
  deviceStateCode: string | undefined;
}

export async function loadAlarmForMessages(db: Db | Transaction<Database>, alarmId: string): Promise<AlarmForMessages | undefined> {
  const alarm = await db.selectFrom('alarms').selectAll().where('id', '=', alarmId).executeTakeFirst();
  if (!alarm) return undefined;
  const beneficiary = alarm.beneficiary_id
    ? await db.selectFrom('beneficiaries').selectAll().where('id', '=', alarm.beneficiary_id).executeTakeFirst()
    : undefined;
  const device = await db.selectFrom('devices').select('state_code').where('id', '=', alarm.device_id).executeTakeFirst();
  return { alarm, beneficiary, deviceStateCode: device?.state_code };
}

/**
 * Short and actionable (issue 4): who (the alias, never the full name), what, where, and the
 * reference to quote. Location is coarse text plus coordinates when the device sent them.
 */
export function messageVars(templates: Templates, language: string, a: AlarmForMessages): Record<string, string> {
  const { alarm, beneficiary } = a;
  const place = [beneficiary?.municipality, beneficiary?.state_code ?? a.deviceStateCode].filter(Boolean).join(', ');
  let coords = '';
  if (alarm.loc) {
    const loc = JSON.parse(alarm.loc) as { lat?: number; lon?: number };
    if (typeof loc.lat === 'number' && typeof loc.lon === 'number') coords = ` (${loc.lat.toFixed(5)},${loc.lon.toFixed(5)})`;
  }
  const severityKey = alarm.severity === 'critical' ? 'severityCritical' : alarm.severity === 'low' ? 'severityLow' : 'severityHigh';
  const test = alarm.test === 1 ? templates.render(language, 'test', {}) : '';
  return {
    alias: beneficiary?.alias ?? alarm.device_id,
    what: `${test}${templates.kindLabel(language, alarm.kind)}`,
    where: `${place || '?'}${coords}`,
    ref: alarm.id,
    severity: templates.render(language, severityKey, {}),
  };
}
