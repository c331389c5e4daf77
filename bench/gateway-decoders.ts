/**
 * Decoder throughput of the protocol gateways (issue 17 §7): frames per second per core for each
 * decoder, decoding golden frames in a loop on one thread (CPU time, so a busy machine shows less
 * wall-clock throughput but the same per-core figure, within noise).
 *
 *   node --import tsx bench/gateway-decoders.ts [seconds-per-decoder=2]
 */
import os from 'node:os';
import { alarmFrame, heartbeatFrame } from '../devices/gt06/frames.ts';
import { ipcEvent } from '../devices/inreach/ipc-outbound.ts';
import { parseContactId } from '../src/ingest/protocols/dc09/contact-id.ts';
import { checkEnvelope, encodeMessage, parseBody } from '../src/ingest/protocols/dc09/frame.ts';
import { splitFrame } from '../src/ingest/protocols/gt06/decoder.ts';
import { inreachEventSchema, inreachPushSchema } from '../src/ingest/protocols/inreach/intake.ts';
import { encodeMo, parseMo, splitMessage } from '../src/ingest/protocols/sbd/directip.ts';
import { decodePayload, encodePayload } from '../src/ingest/protocols/sbd/payload.ts';

const seconds = Number(process.argv[2] ?? 2);
const T = Date.UTC(2026, 10, 30, 8, 0, 0);
const KEY = Buffer.from('000102030405060708090a0b0c0d0e0f', 'hex');
const fix = { at: new Date(T), lat: 19.432608, lon: -99.133209 };

const gt06Heartbeat = heartbeatFrame({ voltage: 5, gsm: 3, charging: false, alarm: 0 }, 7);
const gt06Alarm = alarmFrame(fix, { voltage: 4, gsm: 3, charging: false, alarm: 1 }, 8);
const dc09Plain = encodeMessage({ id: 'ADM-CID', seq: '0002', receiver: '1', account: '1234' }, '#1234|1120 01 015', { timestamp: T });
const dc09Aes = encodeMessage({ id: 'ADM-CID', seq: '0003', account: '5678' }, '#5678|1121 01 002', { timestamp: T, key: KEY });
const sbd = encodeMo(
  { cdrReference: 1, imei: '300234010753370', sessionStatus: 0, momsn: 42, mtmsn: 0, sessionAt: T },
  encodePayload({ type: 'alarm', at: T, kind: 'sos', seq: 7, loc: { lat: 19.432608, lon: -99.133209 } }),
  { lat: 19.4326, lon: -99.1332, cepKm: 3 },
);
const inreach = JSON.stringify({ Version: '2.0', Events: [ipcEvent('300434030000001', 4, T, { point: { lat: 17.55, lon: -99.5 } })] });

const decoders: [string, () => unknown][] = [
  ['gt06 heartbeat (0x13)', () => splitFrame(gt06Heartbeat)],
  ['gt06 alarm (0x16)', () => splitFrame(gt06Alarm)],
  [
    'dc09 ADM-CID plain',
    () => {
      const e = checkEnvelope(dc09Plain);
      return e.ok && parseBody(e.body, () => undefined);
    },
  ],
  [
    'dc09 ADM-CID AES-128',
    () => {
      const e = checkEnvelope(dc09Aes);
      const p = e.ok ? parseBody(e.body, () => KEY) : undefined;
      return p?.ok && parseContactId(p.message.data);
    },
  ],
  [
    'sbd MO + payload',
    () => {
      const s = splitMessage(sbd);
      const m = s.kind === 'frame' ? parseMo(s.frame) : undefined;
      return m?.ok && m.message.payload && decodePayload(m.message.payload);
    },
  ],
  [
    'inreach IPC Outbound JSON (1 event)',
    () => inreachPushSchema.parse(JSON.parse(inreach)).Events.map((e) => inreachEventSchema.safeParse(e)),
  ],
];

const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
console.log(`# gateway decoders, ${seconds} s each, node ${process.version}, load average before: ${load()}`);
console.log('| decoder | frames/s per core | µs CPU per frame | load average (1/5/15 min) |');
console.log('|---|---:|---:|---|');
for (const [name, decode] of decoders) {
  for (let i = 0; i < 20_000; i++) decode(); // warm-up
  let n = 0;
  const cpu0 = process.cpuUsage();
  const until = performance.now() + seconds * 1000;
  while (performance.now() < until) {
    for (let i = 0; i < 1000; i++) decode();
    n += 1000;
  }
  const cpu = process.cpuUsage(cpu0);
  const cpuS = (cpu.user + cpu.system) / 1e6;
  console.log(`| ${name} | ${Math.round(n / cpuS).toLocaleString('en-US')} | ${((cpuS / n) * 1e6).toFixed(2)} | ${load()} |`);
}
