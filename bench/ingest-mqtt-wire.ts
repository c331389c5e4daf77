/**
 * Just enough MQTT 3.1.1 for a load generator: CONNECT, QoS 1 PUBLISH, and reading CONNACK and
 * PUBACK. Hand-rolled so thousands of simulated devices cost a socket each, not a full client.
 */

function remainingLength(n: number): Buffer {
  const bytes: number[] = [];
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    bytes.push(b);
  } while (n > 0);
  return Buffer.from(bytes);
}

const str = (s: string) => {
  const b = Buffer.from(s, 'utf8');
  const len = Buffer.alloc(2);
  len.writeUInt16BE(b.length);
  return Buffer.concat([len, b]);
};

export function connectPacket(clientId: string, username: string, password: string): Buffer {
  const variable = Buffer.concat([str('MQTT'), Buffer.from([4, 0xc2, 0, 0])]); // level 4; user, password, clean; keepalive 0
  const body = Buffer.concat([variable, str(clientId), str(username), str(password)]);
  return Buffer.concat([Buffer.from([0x10]), remainingLength(body.length), body]);
}

export function publishPacket(topic: string, messageId: number, payload: Buffer): Buffer {
  const id = Buffer.alloc(2);
  id.writeUInt16BE(messageId);
  const body = Buffer.concat([str(topic), id, payload]);
  return Buffer.concat([Buffer.from([0x32]), remainingLength(body.length), body]);
}

/** Splits incoming bytes into packets; calls back with type, and the message id of PUBACKs or CONNACK's code. */
export function packetReader(onPacket: (type: number, value: number) => void): (chunk: Buffer) => void {
  let buffer: Buffer = Buffer.alloc(0);
  return (chunk: Buffer) => {
    buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
    let offset = 0;
    for (;;) {
      if (buffer.length - offset < 2) break;
      let len = 0;
      let mul = 1;
      let i = offset + 1;
      let done = false;
      for (; i < Math.min(buffer.length, offset + 5); i++) {
        const b = buffer[i] as number;
        len += (b & 0x7f) * mul;
        mul *= 128;
        if ((b & 0x80) === 0) {
          done = true;
          break;
        }
      }
      if (!done || buffer.length < i + 1 + len) break;
      const type = (buffer[offset] as number) >> 4;
      const body = buffer.subarray(i + 1, i + 1 + len);
      onPacket(type, type === 4 ? body.readUInt16BE(0) : type === 2 ? (body[1] as number) : 0);
      offset = i + 1 + len;
    }
    buffer = offset === buffer.length ? Buffer.alloc(0) : buffer.subarray(offset);
  };
}
