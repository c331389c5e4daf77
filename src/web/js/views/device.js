// One device for a technician: facts, battery and signal over time, incidents, diagnosis, and
// "put on test". Nothing that leads to the person who carries it (P6).
import { ApiError, api, items } from '../api.js';
import { timeChart } from '../charts.js';
import { h, link, replace, seg } from '../dom.js';
import { dateTime, duration, number, percent } from '../format.js';
import { label, t } from '../i18n.js';
import { panel } from './alarm-panels.js';
import { findingText } from './diagnosis-text.js';
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
          fact(
            t('device.onTestUntil'),
            h('span', { id: 'device-on-test' }, device.onTestUntil ? dateTime(device.onTestUntil) : t('common.none')),
          ),
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
  // Only the fields the charts draw: never a location (technicians may not read one, P6).
  const query = new URLSearchParams({
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    fields: 'battery,rssi,bars,network',
    limit: '5000',
  });
  const data = await optional(`/api/devices/${seg(id)}/telemetry?${query}`);
  const points = items(data?.heartbeats ?? data?.points ?? data).filter(
    (/** @type {any} */ p) => p && p.kind !== 'event' && (p.at ?? p.ts) !== undefined,
  );
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

/** The health API's diagnosis: a plain finding first, then the evidence behind it. */
function diagnosisView(/** @type {any} */ d) {
  if (!d) return h('p', { class: 'muted' }, t('device.noDiagnosis'));
  const none = t('common.none');
  const b = d.battery;
  const s = d.signal;
  const hb = d.heartbeatDelivery;
  return h(
    'div',
    null,
    d.finding ? h('p', { class: 'finding', id: 'diagnosis-finding' }, findingText(d)) : null,
    h(
      'dl',
      { class: 'facts' },
      fact(t('device.state'), h('span', { class: `badge live live-${d.state}` }, label('live', d.state ?? 'unknown'))),
      d.silentForMs ? fact(t('diag.silentFor'), duration(d.silentForMs)) : null,
      fact(
        t('diag.battery'),
        b
          ? `${number(b.level, 0)} %${b.charging ? ` · ${t('diag.charging')}` : ''}${b.drainPctPerDay !== null ? ` · ${t('diag.drain', { value: number(b.drainPctPerDay, 1) })}` : ''}`
          : none,
      ),
      b?.projectedEmptyAt ? fact(t('diag.emptyAt'), dateTime(b.projectedEmptyAt)) : null,
      fact(
        t('diag.signal'),
        s
          ? `${label('quality', s.quality)} · ${s.network}${s.rssi !== null ? ` · ${s.rssi} dBm` : ''}${s.bars !== null ? ` · ${t('diag.bars', { value: s.bars })}` : ''}`
          : none,
      ),
      hb ? fact(t('diag.delivery'), `${percent(hb.ratio)} (${hb.received}/${hb.expected})`) : null,
      d.reboots ? fact(t('diag.reboots'), `${d.reboots.last24h}${d.reboots.loop ? ` · ${t('diag.rebootLoop')}` : ''}`) : null,
      d.clock
        ? fact(t('diag.clock'), d.clock.suspect ? t('diag.clockSuspect', { count: d.clock.suspectHeartbeats }) : t('diag.clockOk'))
        : null,
      d.ingestErrors ? fact(t('diag.ingestErrors'), String(d.ingestErrors.last24h)) : null,
      d.satellite
        ? fact(
            t('diag.satellite'),
            `${percent(d.satellite.successRatio)} (${d.satellite.checkInsReceived}/${d.satellite.checkInsExpected})`,
          )
        : null,
    ),
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
          const fact = document.getElementById('device-on-test');
          if (fact) fact.textContent = dateTime(until);
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
