// One device for a technician: facts, battery and signal over time, incidents, diagnosis, and
// "put on test". Nothing that leads to the person who carries it (P6).
import { ApiError, api, items } from '../api.js';
import { timeChart } from '../charts.js';
import { h, link, replace, seg } from '../dom.js';
import { dateTime, number } from '../format.js';
import { t } from '../i18n.js';
import { panel } from './alarm-panels.js';
import { incidentTable } from './incidents.js';

const RANGES = { '24h': 86_400_000, '7d': 7 * 86_400_000, '30d': 30 * 86_400_000 };

/** @param {string} path */
async function optional(path) {
  try {
    return await api(path);
  } catch (err) {
    if (err instanceof ApiError && (err.status === 404 || err.status === 503)) return null;
    throw err;
  }
}

/**
 * @param {HTMLElement} el
 * @param {{ id: string }} params
 */
export async function renderDevice(el, params) {
  const id = params.id;
  const charts = h('div', { class: 'charts' });
  const status = h('p', { class: 'flash', role: 'status' });
  const [device, diagnosis, incidents] = await Promise.all([
    api(`/api/devices/${seg(id)}`),
    optional(`/api/devices/${seg(id)}/diagnosis`),
    optional(`/api/incidents?deviceId=${seg(id)}`),
  ]);
  const rangeSelect = h(
    'select',
    { id: 'telemetry-range', onchange: () => drawCharts(charts, id, /** @type {HTMLSelectElement} */ (rangeSelect).value) },
    Object.keys(RANGES).map((r) => h('option', { value: r }, t(`device.range${r}`))),
  );
  replace(
    el,
    link('/fleet', { class: 'back' }, `← ${t('common.back')}`),
    h('h1', null, t('device.title', { id: device.id })),
    h(
      'div',
      { class: 'alarm-grid' },
      panel(
        t('device.facts'),
        'device-facts',
        h(
          'dl',
          { class: 'facts' },
          fact(t('device.model'), h('span', { class: 'mono' }, device.modelId)),
          fact(t('device.region'), device.stateCode),
          fact(t('device.installed'), dateTime(device.installedAt)),
          fact(t('device.onTestUntil'), device.onTestUntil ? dateTime(device.onTestUntil) : t('common.none')),
        ),
        testForm(id, status),
        status,
      ),
      panel(t('device.diagnosis'), 'diagnosis', diagnosisView(diagnosis)),
    ),
    panel(
      t('device.chartsTitle'),
      'telemetry',
      h('div', { class: 'field inline' }, h('label', { for: 'telemetry-range' }, t('device.range')), rangeSelect),
      charts,
    ),
    panel(t('device.incidents'), 'device-incidents', incidentTable(items(incidents), false)),
  );
  await drawCharts(charts, id, '24h');
  return undefined;
}

/** @param {string} term @param {unknown} value */
const fact = (term, value) => h('div', null, h('dt', null, term), h('dd', null, value));

/**
 * @param {HTMLElement} el
 * @param {string} id
 * @param {string} range
 */
async function drawCharts(el, id, range) {
  const to = Date.now();
  const from = to - (RANGES[/** @type {keyof typeof RANGES} */ (range)] ?? RANGES['24h']);
  const data = await optional(`/api/devices/${seg(id)}/telemetry?from=${new Date(from).toISOString()}&to=${new Date(to).toISOString()}`);
  const points = items(data?.heartbeats ?? data?.points ?? data).filter((/** @type {any} */ p) => p && (p.at ?? p.ts) !== undefined);
  if (points.length === 0) {
    replace(el, h('p', { class: 'muted', id: 'no-telemetry' }, t('device.noTelemetry')));
    return;
  }
  points.sort((/** @type {any} */ a, /** @type {any} */ b) => Date.parse(a.at ?? a.ts) - Date.parse(b.at ?? b.ts));
  const x = points.map((/** @type {any} */ p) => Date.parse(p.at ?? p.ts) / 1000);
  const val = (/** @type {any} */ v) => (typeof v === 'number' ? v : null);
  const battery = points.map((/** @type {any} */ p) => val(p.battery));
  const rssi = points.map((/** @type {any} */ p) => val(p.rssi ?? p.signal?.rssi));
  const bars = points.map((/** @type {any} */ p) => val(p.bars ?? p.signal?.bars));
  const batteryBox = h('div', { class: 'chart', id: 'chart-battery' });
  const signalBox = h('div', { class: 'chart', id: 'chart-signal' });
  replace(el, batteryBox, signalBox);
  await timeChart(batteryBox, {
    title: t('device.battery'),
    series: [{ label: t('device.battery'), color: '#7ee787' }],
    x,
    ys: [battery],
    yRange: [0, 100],
  });
  const useBars = bars.some((b) => b !== null) && rssi.every((r) => r === null);
  await timeChart(signalBox, {
    title: t('device.signal'),
    series: [{ label: useBars ? 'bars' : 'RSSI (dBm)', color: '#79c0ff' }],
    x,
    ys: [useBars ? bars : rssi],
  });
}

/** Diagnosis comes from the health API; shown as its findings, whatever their number. */
function diagnosisView(/** @type {any} */ d) {
  if (!d) return h('p', { class: 'muted' }, t('device.noDiagnosis'));
  const findings = Array.isArray(d) ? d : (d.findings ?? d.causes ?? d.checks ?? null);
  if (Array.isArray(findings))
    return h(
      'ul',
      { class: 'findings' },
      findings.map((f) =>
        h(
          'li',
          { class: `finding ${f.severity ?? f.level ?? ''}` },
          h('strong', null, String(f.title ?? f.code ?? f.kind ?? '')),
          f.detail || f.message ? ` — ${f.detail ?? f.message}` : '',
        ),
      ),
    );
  return h(
    'dl',
    { class: 'facts' },
    Object.entries(d)
      .filter(([, v]) => v === null || typeof v !== 'object')
      .map(([k, v]) => fact(k, typeof v === 'number' ? number(v) : String(v ?? t('common.none')))),
  );
}

/**
 * @param {string} id
 * @param {HTMLElement} status
 */
function testForm(id, status) {
  return h(
    'form',
    {
      class: 'test-form',
      onsubmit: async (/** @type {SubmitEvent} */ e) => {
        e.preventDefault();
        const minutes = Number(new FormData(/** @type {HTMLFormElement} */ (e.currentTarget)).get('minutes'));
        try {
          const res = await api(`/api/devices/${seg(id)}/test`, { method: 'POST', body: { minutes } });
          const until = res?.onTestUntil ?? res?.until ?? new Date(Date.now() + minutes * 60_000).toISOString();
          status.textContent = t('device.testDone', { until: dateTime(until) });
        } catch (err) {
          status.textContent = t('common.error', { message: /** @type {Error} */ (err).message });
        }
      },
    },
    h('label', { for: 'test-minutes' }, t('device.testMinutes')),
    h(
      'div',
      { class: 'row' },
      h('input', {
        id: 'test-minutes',
        name: 'minutes',
        type: 'number',
        min: '1',
        max: '240',
        value: '30',
        required: true,
        inputmode: 'numeric',
      }),
      h('button', { type: 'submit' }, t('device.putOnTest')),
    ),
  );
}
