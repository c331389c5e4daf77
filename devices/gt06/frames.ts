import { encodeFrame, MSG } from '../../src/ingest/protocols/gt06/decoder.ts';

/**
 * What a GT06 tracker sends, built from the Concox GT06 protocol document (docs/protocols.md
 * "GT06"). Used by the simulator and as golden frames in the tests.
 */
export function loginFrame(imei: string, serial: number): Buffer {
  // 15-digit IMEI as 8 BCD bytes with a leading 0 nibble.
  return encodeFrame(MSG.login, Buffer.from(imei.padStart(16, '0'), 'hex'), serial);
}

export interface TrackerStatus {
  /** Voltage level 0–6. */
  voltage: number;
  /** GSM signal 0–4. */
  gsm: number;
  charging: boolean;
  /** Alarm byte: 0 normal, 1 SOS, 2 power cut, 3 vibration, 0x0e low battery. */
  alarm: number;
}

function statusBytes(s: TrackerStatus): Buffer {
  // Terminal info: bit 6 GPS tracking on, bits 5–3 the alarm (100 SOS), bit 2 charging.
  const alarmBits = s.alarm === 1 ? 0b100 : s.alarm === 2 ? 0b010 : s.alarm === 3 ? 0b001 : 0;
  const terminal = 0x40 | (alarmBits << 3) | (s.charging ? 0x04 : 0);
  return Buffer.from([terminal, s.voltage, s.gsm, s.alarm, 0x02 /* English */]);
}

export function heartbeatFrame(s: TrackerStatus, serial: number): Buffer {
  return encodeFrame(MSG.heartbeat, statusBytes(s), serial);
}

export interface Fix {
  at: Date;
  lat: number;
  lon: number;
  speedKmh?: number;
  satellites?: number;
}

function gpsBytes(f: Fix): Buffer {
  const b = Buffer.alloc(18);
  const t = f.at;
  b.set([t.getUTCFullYear() - 2000, t.getUTCMonth() + 1, t.getUTCDate(), t.getUTCHours(), t.getUTCMinutes(), t.getUTCSeconds()], 0);
  b[6] = 0xc0 | ((f.satellites ?? 9) & 0x0f);
  b.writeUInt32BE(Math.round(Math.abs(f.lat) * 60 * 30_000), 7);
  b.writeUInt32BE(Math.round(Math.abs(f.lon) * 60 * 30_000), 11);
  b[15] = f.speedKmh ?? 0;
  // Bit 12 GPS fixed, bit 10 north, bit 11 west; course 0.
  b.writeUInt16BE(0x1000 | (f.lat >= 0 ? 0x0400 : 0) | (f.lon < 0 ? 0x0800 : 0), 16);
  return b;
}

/** MCC 334 (Mexico), MNC 20, an invented cell. */
const LBS = Buffer.from([0x01, 0x4e, 0x14, 0x12, 0x34, 0x00, 0x56, 0x78]);

export function locationFrame(f: Fix, serial: number): Buffer {
  return encodeFrame(MSG.location, Buffer.concat([gpsBytes(f), LBS]), serial);
}

export function alarmFrame(f: Fix, s: TrackerStatus, serial: number): Buffer {
  // The LBS length byte counts itself.
  return encodeFrame(MSG.alarm, Buffer.concat([gpsBytes(f), Buffer.from([LBS.length + 1]), LBS, statusBytes(s)]), serial);
}
