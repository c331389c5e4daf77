/**
 * The two CRC-16 variants the device protocols use, bitwise over a 256-entry table built once.
 * - CRC-ITU as GT06 calls it, i.e. CRC-16/X-25: reflected polynomial 0x1021 (0x8408), initial
 *   0xFFFF, final XOR 0xFFFF. Check value for "123456789": 0x906E.
 * - SIA DC-09's CRC, i.e. CRC-16/ARC: reflected polynomial 0x8005 (0xA001), initial 0, no final
 *   XOR. Check value for "123456789": 0xBB3D.
 */
function reflectedTable(poly: number): Uint16Array {
  const table = new Uint16Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ poly : c >>> 1;
    table[n] = c;
  }
  return table;
}

const X25 = reflectedTable(0x8408);
const ARC = reflectedTable(0xa001);

function run(table: Uint16Array, init: number, bytes: Uint8Array, start: number, end: number): number {
  let crc = init;
  for (let i = start; i < end; i++) crc = (crc >>> 8) ^ (table[(crc ^ (bytes[i] as number)) & 0xff] as number);
  return crc & 0xffff;
}

export const crc16X25 = (bytes: Uint8Array, start = 0, end = bytes.length): number => run(X25, 0xffff, bytes, start, end) ^ 0xffff;
export const crc16Arc = (bytes: Uint8Array, start = 0, end = bytes.length): number => run(ARC, 0, bytes, start, end);
