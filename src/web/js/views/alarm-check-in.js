// Issue 18: an alarm raised because a check-in timer ran out says where the person said they
// were going — the first thing the operator needs to send help (src/alerts/check-in/due-timers.ts
// writes it on the timeline as `check_in_missed`).
import { h } from '../dom.js';
import { t } from '../i18n.js';

/**
 * The stated destination as one entry of the alarm's facts; nothing for other alarms. A panic
 * already open on the device takes the missed check-in too: the newest one is shown.
 * @param {{ timeline: { kind: string, detail: Record<string, any> | null }[] }} a
 */
export function checkInFact(a) {
  const missed = a.timeline.filter((e) => e.kind === 'check_in_missed').at(-1);
  if (!missed) return null;
  const destination = missed.detail?.destination;
  return h(
    'div',
    { class: 'check-in-missed', id: 'alarm-check-in' },
    h('dt', null, h('span', { class: 'badge sev-high' }, t('tl.check_in_missed'))),
    h('dd', null, destination ? t('alarm.checkInDestinationIs', { destination }) : t('alarm.checkInNoDestination')),
  );
}
