// uPlot, loaded on the pages that draw (technicians' devices, analysts' reports) and nowhere else.

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
    axes: [AXIS, AXIS],
    series: [{}, ...spec.series.map((s) => ({ label: s.label, stroke: s.color, width: 2, spanGaps: false }))],
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
  const opts = {
    title: spec.title,
    width: widthOf(el),
    height: 260,
    scales: { x: { time: false, range: [-0.6, spec.labels.length - 0.4] }, y: spec.percent ? { range: [0, 1] } : {} },
    axes: [
      {
        ...AXIS,
        values: (/** @type {any} */ _u, /** @type {number[]} */ ticks) => ticks.map((i) => spec.labels[i] ?? ''),
        splits: () => x,
        gap: 6,
      },
      {
        ...AXIS,
        values: (/** @type {any} */ _u, /** @type {number[]} */ ticks) =>
          ticks.map((v) => (spec.percent ? `${Math.round(v * 100)}%` : String(v))),
      },
    ],
    series: [
      {},
      ...spec.series.map((s, i) => ({
        label: s.label,
        stroke: s.color,
        fill: `${s.color}cc`,
        width: 1,
        paths: uPlot.paths.bars({
          size: [0.7 / n, 80],
          align: 0,
          disp: { x0: { unit: 2, values: () => x.map(() => (i - (n - 1) / 2) * (0.7 / n)) } },
        }),
        points: { show: false },
      })),
    ],
  };
  return new uPlot(opts, [x, ...spec.ys], el);
}
