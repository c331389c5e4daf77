/** Markdown tables of a load run, as pasted into bench/load-results.md. */
import type { Summary } from './load-alarms.ts';
import type { PhaseResult } from './load-phase.ts';

const EXTRAPOLATE_TO = 50_000;
const mb = (b: number) => (b / 1e6).toFixed(0);
const ms = (x: number | undefined) => (x === undefined ? '–' : x >= 10_000 ? `${(x / 1000).toFixed(1)} s` : `${x.toFixed(0)} ms`);
const p = (s: Summary | undefined) => (s ? `${ms(s.p50)} / ${ms(s.p99)} / ${ms(s.max)} (n=${s.n})` : '–');
const row = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
const head = (cells: string[]) => `${row(cells)}\n${row(cells.map(() => '---'))}`;

function ratio(results: PhaseResult[], r: PhaseResult): string {
  const aedes = results.find((x) => x.target === 'aedes' && x.size === r.size);
  if (r.target !== 'centinela' || !aedes) return '';
  return `${(r.window.cpuUsPerHeartbeat / aedes.window.cpuUsPerHeartbeat).toFixed(1)}×`;
}

function throughput(results: PhaseResult[]): string {
  const lines = results.map((r) =>
    row([
      r.size,
      r.target,
      r.devices,
      `${r.connectS.toFixed(0)} s`,
      (r.window.heartbeatsSent / r.window.seconds).toFixed(1),
      r.window.heartbeatsAccepted === undefined ? '–' : (r.window.heartbeatsAccepted / r.window.seconds).toFixed(1),
      r.window.heartbeatsShed ?? '–',
      `${(r.window.cpuCores * 100).toFixed(1)} %`,
      r.window.cpuUsPerHeartbeat.toFixed(0),
      ratio(results, r),
      `${(r.idle.cpuCores * 100).toFixed(1)} %`,
      `${(r.window.loadGeneratorCores * 100).toFixed(0)} %`,
      r.window.load1.toFixed(1),
    ]),
  );
  return [
    head([
      'size',
      'server',
      'devices',
      'connect',
      'hb/s sent',
      'hb/s accepted',
      'shed',
      'server CPU',
      'µs CPU / hb',
      'vs aedes',
      'idle CPU (no devices)',
      'load gen CPU',
      'load avg',
    ]),
    ...lines,
  ].join('\n');
}

/** Slope between consecutive sizes: the alarm rate is the same at every size, so it cancels out. */
function marginal(results: PhaseResult[]): string {
  const lines: string[] = [];
  for (const target of ['centinela', 'aedes'] as const) {
    const rs = results.filter((r) => r.target === target).sort((a, b) => a.devices - b.devices);
    for (let i = 1; i < rs.length; i++) {
      const a = rs[i - 1] as PhaseResult;
      const b = rs[i] as PhaseResult;
      const hb = (r: PhaseResult) => (r.window.heartbeatsAccepted ?? r.window.heartbeatsSent) / r.window.seconds;
      const us = ((b.window.cpuCores - a.window.cpuCores) * 1e6) / (hb(b) - hb(a));
      lines.push(row([target, `${a.devices} → ${b.devices}`, `${hb(a).toFixed(0)} → ${hb(b).toFixed(0)}`, us.toFixed(0)]));
    }
  }
  return [head(['server', 'devices', 'hb/s', 'marginal µs CPU / heartbeat']), ...lines].join('\n');
}

function memory(results: PhaseResult[]): string {
  const lines = results.map((r) =>
    row([
      r.size,
      r.target,
      r.devices,
      mb(r.idle.rssBytes),
      mb(r.window.rssBytes),
      mb(r.window.peakRssBytes),
      (r.rssPerDeviceBytes / 1024).toFixed(1),
      mb(r.idle.rssBytes + EXTRAPOLATE_TO * r.rssPerDeviceBytes),
      `${r.idle.openFiles} → ${r.window.openFiles}`,
      (r.loadGeneratorRssBytes / 1024 / r.devices).toFixed(0),
    ]),
  );
  return [
    head([
      'size',
      'server',
      'devices',
      'RSS idle MB',
      'RSS loaded MB',
      'peak RSS MB',
      'KiB / device',
      `RSS at ${EXTRAPOLATE_TO.toLocaleString('en')} MB (extrapolated)`,
      'open files idle → loaded',
      'load gen KiB / device',
    ]),
    ...lines,
  ].join('\n');
}

function alarms(results: PhaseResult[]): string {
  const lines = results.map((r) =>
    row([
      r.size,
      r.target,
      r.alarms.sent,
      r.alarms.unacked,
      p(r.alarms.puback),
      r.target === 'centinela' ? p(r.alarms.firstSms) : 'n/a (no notifier)',
      r.alarms.nonTest === undefined ? '–' : `${r.alarms.nonTest} / ${r.alarms.repeats} / ${r.alarms.withoutSms}`,
      r.alarms.operator ? `${r.alarms.operator.acknowledged} / ${r.alarms.operator.resolved} / ${r.alarms.operator.failed}` : '–',
    ]),
  );
  return [
    head([
      'size',
      'server',
      'alarms published',
      'no PUBACK',
      'publish → PUBACK p50 / p99 / max',
      'publish → first SMS p50 / p99 / max',
      'first presses / repeats / first presses without SMS',
      'bot acked / resolved / failed',
    ]),
    ...lines,
  ].join('\n');
}

function offline(results: PhaseResult[]): string {
  const lines = results
    .filter((r) => r.offline)
    .map((r) => {
      const o = r.offline as NonNullable<PhaseResult['offline']>;
      return row([
        r.size,
        o.dropped.n,
        p(o.dropped.killToDisconnected),
        p(o.dropped.killToOffline),
        p(o.dropped.pastGrace),
        o.hung.n,
        p(o.hung.silenceToOffline),
        p(o.hung.pastWindow),
        o.dropped.missed + o.hung.missed,
      ]);
    });
  return [
    head([
      'size',
      'killed',
      'kill → disconnected',
      'kill → offline',
      'beyond 60 s grace',
      'hung',
      'last heard → offline',
      'beyond 180 s window',
      'never seen offline',
    ]),
    ...lines,
  ].join('\n');
}

export function formatResults(machine: Record<string, unknown>, results: PhaseResult[]): string {
  return [
    `Machine: ${JSON.stringify(machine)}`,
    '',
    '### Heartbeat throughput and CPU (measurement window)',
    throughput(results),
    '',
    '### Marginal CPU per heartbeat (between sizes; same alarm rate at every size)',
    marginal(results),
    '',
    '### Memory',
    memory(results),
    '',
    '### Alarms (p50 / p99 / max)',
    alarms(results),
    '',
    '### Offline detection (Centinela, p50 / p99 / max)',
    offline(results),
    '',
    `Warnings logged: ${results.map((r) => `${r.target} ${r.size}: ${r.warnings}`).join(', ')}; servers survived: ${results.every((r) => r.serverSurvived)}`,
  ].join('\n');
}
