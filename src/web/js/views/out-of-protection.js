// Issue 15: who is out of protection now — devices on test, maintenance windows — and who put
// them there (the audited changes). Supervisors see it; technicians and admins too. Devices only.
import { api } from '../api.js';
import { h, replace } from '../dom.js';
import { dateTime } from '../format.js';
import { t } from '../i18n.js';
import { columnHeads } from './column-heads.js';

/** @param {string[]} cols @param {unknown[][]} rows @param {string} id */
const table = (cols, rows, id) =>
  rows.length === 0
    ? h('p', { class: 'empty' }, t('oop.none'))
    : h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          { class: 'grid', id },
          columnHeads(cols),
          h(
            'tbody',
            null,
            rows.map((cells) =>
              h(
                'tr',
                null,
                cells.map((c) => h('td', { class: 'small' }, c)),
              ),
            ),
          ),
        ),
      );

/** @param {HTMLElement} el */
export async function renderOutOfProtection(el) {
  /** @type {{ onTest: any[], maintenance: any[], changes: any[] }} */
  const data = await api('/api/service-windows');
  replace(
    el,
    h('h1', null, t('oop.title')),
    h(
      'section',
      { class: 'panel' },
      h('h2', null, t('oop.onTest')),
      table(
        ['oop.device', 'oop.since', 'oop.until'],
        data.onTest.map((d) => [d.deviceId, dateTime(d.since), dateTime(d.until)]),
        'oop-on-test',
      ),
    ),
    h(
      'section',
      { class: 'panel' },
      h('h2', null, t('oop.maintenance')),
      table(
        ['oop.device', 'oop.since', 'oop.until', 'oop.reason'],
        data.maintenance.map((m) => [m.deviceId, dateTime(m.startsAt), dateTime(m.endsAt), m.reason ?? '']),
        'oop-maintenance',
      ),
    ),
    h(
      'section',
      { class: 'panel' },
      h('h2', null, t('oop.changes')),
      table(
        ['oop.at', 'oop.device', 'oop.action', 'oop.by'],
        data.changes.map((c) => [dateTime(c.at), c.deviceId, t(`oop.action.${c.action}`), `${c.actorRole} · ${c.actorId}`]),
        'oop-changes',
      ),
    ),
  );
  return undefined;
}
