// uPlot, loaded on the pages that draw (technicians' devices, analysts' reports) and nowhere else.
import { dateTime, number } from './format.js';
import { locale, t } from './i18n.js';

/** @type {Promise<any> | undefined} */
let loading;

function loadUPlot() {
  loading ??= new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = '/assets/vendor/uPlot.iife.min.js';
    script.onload = () => resolve(/** @type {any} */ (window).uPlot);
    script.onerror = () => reject(new Error('uPlot did not load'));
    document.head.append(script);
  });
  return loading;
}

/** Hours and minutes within two days, day and month beyond. */
function tickLabel(/** @type {number[]} */ ticks) {
  const span = (ticks.at(-1) ?? 0) - (ticks[0] ?? 0);
  const fmt = new Intl.DateTimeFormat(
    locale(),
    span < 2 * 86400 ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } : { day: 'numeric', month: 'short' },
  );
  return (/** @type {number} */ ts) => fmt.format(new Date(ts * 1000));
}

const AXIS = { stroke: '#c9d1d9', grid: { stroke: '#2d3640', width: 1 }, ticks: { stroke: '#2d3640' } };

/** Width of the chart's box, so charts fit a phone as well as a 1366-px screen. */
const widthOf = (/** @type {HTMLElement} */ el) => Math.max(280, Math.floor(el.getBoundingClientRect().width || 600));

/**
 * A time series (x in seconds since the epoch).
 * @param {HTMLElement} el
 * @param {{ title: string, series: { label: string, color: string }[], x: number[], ys: (number | null)[][], yRange?: [number, number] }} spec
 */
export async function timeChart(el, spec) {
  const uPlot = await loadUPlot();
  const opts = {
    title: spec.title,
    width: widthOf(el),
    height: 220,
    scales: { x: { time: true }, y: spec.yRange ? { range: spec.yRange } : {} },
    // Axis and legend in the console's language, not uPlot's built-in English.
    axes: [{ ...AXIS, values: (/** @type {any} */ _u, /** @type {number[]} */ ticks) => ticks.map(tickLabel(ticks)) }, AXIS],
    series: [
      { label: t('chart.time'), value: (/** @type {any} */ _u, /** @type {number | null} */ v) => (v === null ? '—' : dateTime(v * 1000)) },
      ...spec.series.map((s) => ({ label: s.label, stroke: s.color, width: 2, spanGaps: false })),
    ],
  };
  return new uPlot(opts, [spec.x, ...spec.ys], el);
}

/**
 * Bars for categories (groups of a report): x is the index, the axis shows the group names.
 * @param {HTMLElement} el
 * @param {{ title: string, labels: string[], series: { label: string, color: string }[], ys: (number | null)[][], percent?: boolean }} spec
 */
export async function barChart(el, spec) {
  const uPlot = await loadUPlot();
  const x = spec.labels.map((_, i) => i);
  const n = spec.series.length;
  // Bars stay slim when there are few groups: at most 0.22 of a group's slot each.
  const bar = Math.min(0.7 / n, 0.22);
  // Few groups sit centred in room for four, so one group's bars are not a wall of colour.
  const pad = Math.max(0, (4 - spec.labels.length) / 2);
  const opts = {
    title: spec.title,
    width: widthOf(el),
    height: 260,
    scales: {
      x: { time: false, range: [-0.5 - pad, spec.labels.length - 0.5 + pad] },
      // Bars always start at zero: a bar's height is its value.
      y: {
        range: (/** @type {any} */ _u, /** @type {number} */ _min, /** @type {number} */ max) => [
          0,
          spec.percent ? 1 : max > 0 ? max * 1.1 : 1,
        ],
      },
    },
    axes: [
      {
        ...AXIS,
        values: (/** @type {any} */ _u, /** @type {number[]} */ ticks) => ticks.map((i) => spec.labels[i] ?? ''),
        splits: () => x,
        gap: 6,
      },
      {
        ...AXIS,
        size: 70,
        values: (/** @type {any} */ _u, /** @type {number[]} */ ticks) =>
          ticks.map((v) => (spec.percent ? `${Math.round(v * 100)} %` : number(v, 0))),
      },
    ],
    series: [
      {
        label: t('col.group'),
        value: (/** @type {any} */ _u, /** @type {number | null} */ v) => (v === null ? '—' : (spec.labels[v] ?? '')),
      },
      ...spec.series.map((s, i) => ({
        label: s.label,
        stroke: s.color,
        fill: `${s.color}cc`,
        width: 1,
        // Grouped bars: each series gets its own slot beside the others, centred on the group (data units).
        paths: uPlot.paths.bars({
          disp: {
            x0: { unit: 1, values: () => x.map((xi) => xi - (n * bar) / 2 + i * bar) },
            size: { unit: 1, values: () => [bar] },
          },
        }),
        points: { show: false },
      })),
    ],
  };
  return new uPlot(opts, [x, ...spec.ys], el);
}
