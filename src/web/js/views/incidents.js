// Technician incidents: devices that went offline or are overdue a test. Devices only (P6).
import { api, items } from '../api.js';
import { h, link, replace, seg } from '../dom.js';
import { dateTime, duration } from '../format.js';
import { label, t } from '../i18n.js';
import { columnHeads } from './column-heads.js';

/** @param {any[]} list @param {boolean} withDevice */
export function incidentTable(list, withDevice = true) {
  if (list.length === 0) return h('p', { class: 'empty' }, t('incidents.empty'));
  const cols = [
    ...(withDevice ? ['incidents.device'] : []),
    'incidents.kind',
    'incidents.opened',
    'incidents.closed',
    'incidents.duration',
  ];
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'grid', id: 'incident-list' },
      h('caption', { class: 'sr-only' }, t('incidents.caption')),
      columnHeads(cols),
      h(
        'tbody',
        null,
        list.map((i) =>
          h(
            'tr',
            { class: i.closedAt ? '' : 'is-open' },
            withDevice ? h('td', null, link(`/device/${seg(i.deviceId)}`, { class: 'mono' }, i.deviceId)) : null,
            h('td', null, label('ikind', i.kind)),
            h('td', { class: 'small' }, dateTime(i.openedAt)),
            h('td', { class: 'small' }, i.closedAt ? dateTime(i.closedAt) : h('span', { class: 'badge bad' }, t('incidents.open'))),
            h(
              'td',
              { class: 'mono' },
              i.closedAt
                ? duration(i.durationMs)
                : h('span', { dataset: { since: i.openedAt } }, duration(Date.now() - Date.parse(i.openedAt))),
            ),
          ),
        ),
      ),
    ),
  );
}

/** @param {HTMLElement} el */
export async function renderIncidents(el) {
  const body = h('div');
  const onlyOpen = h('input', { type: 'checkbox', id: 'incidents-open', checked: true });
  const load = async () => {
    const list = items(await api(`/api/incidents${/** @type {HTMLInputElement} */ (onlyOpen).checked ? '?open=true' : ''}`));
    replace(body, incidentTable(list));
  };
  onlyOpen.addEventListener('change', () => load().catch(() => {}));
  replace(
    el,
    h('h1', null, t('incidents.title')),
    h('p', { class: 'field inline' }, onlyOpen, h('label', { for: 'incidents-open' }, t('incidents.onlyOpen'))),
    h('section', { class: 'panel' }, body),
  );
  await load();
  return undefined;
}
