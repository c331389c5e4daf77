// Issue 14 §8: the diagnosis finding in the console's language, written from the facts the
// health API returns and its verdict code (the API's `finding` stays English, for logs).
import { duration, number, percent } from '../format.js';
import { label, t } from '../i18n.js';

/** @param {any} d the diagnosis of GET /api/devices/:id/diagnosis */
export function findingText(d) {
  if (!d.verdict && d.verdict !== null) return d.finding ?? '';
  const parts = [];
  if (!d.state || d.state === 'never_seen') parts.push(t('finding.neverSeen'));
  else if (d.silentForMs !== null && d.silentForMs !== undefined)
    parts.push(t(d.state === 'disconnected' ? 'finding.silentAfterWill' : 'finding.silent', { duration: duration(d.silentForMs) }));
  else parts.push(label('live', d.state));
  const s = d.signal;
  if (s)
    parts.push(
      t('finding.signal', {
        value: s.rssi !== null ? `${s.rssi} dBm` : t('diag.bars', { value: s.bars ?? '?' }),
        quality: label('quality', s.quality),
      }),
    );
  const b = d.battery;
  if (b)
    parts.push(
      b.charging
        ? t('finding.batteryCharging', { level: number(b.level, 0) })
        : b.drainPctPerDay
          ? t('finding.batteryFalling', { level: number(b.level, 0), drain: number(b.drainPctPerDay, 1) })
          : t('finding.battery', { level: number(b.level, 0) }),
    );
  if (d.reboots?.loop) parts.push(t('finding.reboots', { count: d.reboots.last24h }));
  if (d.clock?.suspect) parts.push(t('finding.clock', { count: d.clock.suspectHeartbeats }));
  const ratio = d.heartbeatDelivery?.ratio;
  if (typeof ratio === 'number' && ratio < 0.9) parts.push(t('finding.delivery', { value: percent(ratio) }));
  const text = parts.join('; ');
  return d.verdict ? `${text} → ${t(`verdict.${d.verdict}`)}` : text;
}
