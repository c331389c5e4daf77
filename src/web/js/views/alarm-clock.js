// Issue 13: an alarm whose device clock was not believable shows so, with both times — what
// the device said and when Centinela received it (which the alarm uses instead).
import { h } from '../dom.js';
import { dateTime } from '../format.js';
import { t } from '../i18n.js';

/**
 * The flag and both times, as one entry of the alarm's facts; nothing for a believable clock.
 * @param {{ clockSuspect?: boolean, deviceReportedAt?: string | null, receivedAt: string }} a
 */
export function clockFact(a) {
  if (!a.clockSuspect) return null;
  return h(
    'div',
    { class: 'clock-suspect', id: 'alarm-clock-suspect' },
    h('dt', null, h('span', { class: 'badge sev-high' }, t('alarm.clockSuspect'))),
    h(
      'dd',
      null,
      t('alarm.clockSuspectTimes', {
        device: a.deviceReportedAt ? dateTime(a.deviceReportedAt) : t('alarm.clockUnreadable'),
        received: dateTime(a.receivedAt),
      }),
    ),
  );
}
