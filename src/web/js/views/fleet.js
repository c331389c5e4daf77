// The technicians' fleet board: how many devices are in each state, and the list, filtered by
// state, kind, model and Mexican state. Devices only — nothing here leads to a person (P6).
import { ApiError, api, items } from '../api.js';
import { h, link, replace, seg } from '../dom.js';
import { dateTime, number } from '../format.js';
import { label, t } from '../i18n.js';
import { onLive } from '../live.js';
import { columnHeads } from './column-heads.js';

const STATES = ['online', 'late', 'offline', 'disconnected', 'gateway_down', 'never_seen', 'maintenance', 'retired'];
const MAX_ROWS = 500;

/** @typedef {{ id: string, kind: string, modelId: string, stateCode: string, state: string, since?: string | null,
 *   lastSeenAt?: string | null, battery?: number | null, signal?: any, onTestUntil?: string | null }} FleetDevice */

/** Reads the fleet from the health API, or from the registry alone when health does not answer it. */
export async function loadFleet() {
  try {
    const data = await api('/api/fleet');
    const list = Array.isArray(data) ? data : (data?.devices ?? items(data));
    return /** @type {FleetDevice[]} */ (list.map(normalise));
  } catch (err) {
    if (!(err instanceof ApiError) || err.status !== 404) throw err;
    const [devices, models] = await Promise.all([api('/api/devices'), api('/api/device-models')]);
    const kindOf = new Map(items(models).map((/** @type {any} */ m) => [m.id, m.kind]));
    return items(devices).map((/** @type {any} */ d) => normalise({ ...d, kind: kindOf.get(d.modelId) ?? '', state: 'unknown' }));
  }
}

/** @param {any} d @returns {FleetDevice} */
function normalise(d) {
  const latest = d.latest ?? d.lastHeartbeat ?? {};
  return {
    id: d.id ?? d.deviceId,
    kind: d.kind ?? d.deviceKind ?? '',
    modelId: d.modelId ?? d.model ?? '',
    stateCode: d.stateCode ?? d.region ?? '',
    state: d.state ?? d.liveness ?? d.status ?? 'unknown',
    since: d.since ?? d.stateSince ?? null,
    lastSeenAt: d.lastSeenAt ?? latest.receivedAt ?? null,
    battery: d.battery ?? latest.battery ?? null,
    signal: d.signal ?? latest.bars ?? latest.rssi ?? null,
    onTestUntil: d.onTestUntil ?? null,
  };
}

/** @param {HTMLElement} el */
export async function renderFleet(el) {
  /** @type {FleetDevice[]} */
  let devices = [];
  const filters = { state: '', kind: '', model: '', region: '' };
  const board = h('div');

  const paint = () => {
    const shown = devices.filter(
      (d) =>
        (!filters.state || d.state === filters.state) &&
        (!filters.kind || d.kind === filters.kind) &&
        (!filters.model || d.modelId === filters.model) &&
        (!filters.region || d.stateCode === filters.region),
    );
    replace(
      board,
      counts(devices, filters.state, (s) => select('state', s)),
      table(shown.slice(0, MAX_ROWS), shown.length, devices.length),
    );
  };
  const select = (/** @type {keyof typeof filters} */ name, /** @type {string} */ value) => {
    filters[name] = value;
    const input = /** @type {HTMLSelectElement | null} */ (el.querySelector(`#filter-${name}`));
    if (input) input.value = value;
    paint();
  };
  const load = async () => {
    devices = await loadFleet();
    paint();
  };
  await load();
  const distinct = (/** @type {(d: FleetDevice) => string} */ f) => [...new Set(devices.map(f).filter(Boolean))].sort();
  const filterBar = h(
    'form',
    { class: 'filters', 'aria-label': t('fleet.filters'), onsubmit: (/** @type {Event} */ e) => e.preventDefault() },
    filterSelect('state', t('fleet.filterState'), distinctWithKnown(distinct((d) => d.state)), (v) => label('live', v), select),
    filterSelect(
      'kind',
      t('fleet.filterKind'),
      distinct((d) => d.kind),
      (v) => label('dkind', v),
      select,
    ),
    filterSelect(
      'model',
      t('fleet.filterModel'),
      distinct((d) => d.modelId),
      (v) => v,
      select,
    ),
    filterSelect(
      'region',
      t('fleet.filterRegion'),
      distinct((d) => d.stateCode),
      (v) => v,
      select,
    ),
  );
  replace(el, h('h1', null, t('fleet.title')), filterBar, board);
  let timer = /** @type {number | undefined} */ (undefined);
  const off = onLive((m) => {
    if (m.event !== 'device.state.changed' && m.event !== 'resync') return;
    window.clearTimeout(timer);
    timer = window.setTimeout(() => load().catch(() => {}), 500);
  });
  return () => {
    off();
    window.clearTimeout(timer);
  };
}

/** @param {string[]} seen */
const distinctWithKnown = (seen) => [...STATES.filter((s) => seen.includes(s)), ...seen.filter((s) => !STATES.includes(s))];

/**
 * @param {string} name
 * @param {string} text
 * @param {string[]} values
 * @param {(v: string) => string} show
 * @param {(name: any, value: string) => void} onChange
 */
function filterSelect(name, text, values, show, onChange) {
  return h(
    'div',
    { class: 'field' },
    h('label', { for: `filter-${name}` }, text),
    h(
      'select',
      {
        id: `filter-${name}`,
        name,
        onchange: (/** @type {Event} */ e) => onChange(name, /** @type {HTMLSelectElement} */ (e.target).value),
      },
      h('option', { value: '' }, t('common.all')),
      values.map((v) => h('option', { value: v }, show(v))),
    ),
  );
}

/**
 * @param {FleetDevice[]} devices
 * @param {string} current
 * @param {(state: string) => void} pick
 */
function counts(devices, current, pick) {
  /** @type {Map<string, number>} */
  const byState = new Map();
  for (const d of devices) byState.set(d.state, (byState.get(d.state) ?? 0) + 1);
  const states = distinctWithKnown([...byState.keys()]);
  return h(
    'section',
    { class: 'counts', 'aria-label': t('fleet.counts') },
    states.map((s) =>
      h(
        'button',
        {
          type: 'button',
          class: `count live-${s}`,
          'aria-pressed': String(current === s),
          onclick: () => pick(current === s ? '' : s),
        },
        h('span', { class: 'count-n' }, String(byState.get(s) ?? 0)),
        h('span', { class: 'count-label' }, label('live', s)),
      ),
    ),
  );
}

/**
 * @param {FleetDevice[]} shown
 * @param {number} matching
 * @param {number} total
 */
function table(shown, matching, total) {
  if (matching === 0) return h('p', { class: 'empty' }, t('fleet.empty'));
  const cols = [
    'fleet.device',
    'fleet.kind',
    'fleet.model',
    'fleet.region',
    'fleet.state',
    'fleet.since',
    'fleet.lastSeen',
    'fleet.battery',
    'fleet.signal',
  ];
  return h(
    'section',
    { class: 'panel' },
    h(
      'p',
      { class: 'muted small', role: 'status' },
      t('fleet.showing', { shown: shown.length, total: matching === total ? total : `${matching}/${total}` }),
    ),
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'grid', id: 'fleet-list' },
        columnHeads(cols),
        h(
          'tbody',
          null,
          shown.map((d) =>
            h(
              'tr',
              null,
              h(
                'td',
                null,
                link(`/device/${seg(d.id)}`, { class: 'mono' }, d.id),
                d.onTestUntil ? h('span', { class: 'badge test' }, t('fleet.onTest')) : null,
              ),
              h('td', null, label('dkind', d.kind)),
              h('td', { class: 'mono' }, d.modelId),
              h('td', null, d.stateCode),
              h('td', null, h('span', { class: `badge live live-${d.state}` }, label('live', d.state))),
              h('td', { class: 'small' }, dateTime(d.since)),
              h('td', { class: 'small' }, dateTime(d.lastSeenAt)),
              h('td', { class: 'num' }, d.battery === null || d.battery === undefined ? t('common.none') : `${number(d.battery, 0)} %`),
              h(
                'td',
                { class: 'num' },
                d.signal === null || d.signal === undefined
                  ? t('common.none')
                  : typeof d.signal === 'string'
                    ? label('quality', d.signal)
                    : String(d.signal.bars ?? d.signal.rssi ?? ''),
              ),
            ),
          ),
        ),
      ),
    ),
  );
}
