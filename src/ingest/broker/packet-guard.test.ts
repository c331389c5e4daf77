import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type GuardRefusal, PacketGuard } from './packet-guard.ts';

const servers: net.Server[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

/** A guarded echo server; resolves the refusals it saw and the bytes it let through. */
async function guarded(limit: number) {
  const seen: { refusals: [GuardRefusal, number][]; through: Buffer[]; guards: PacketGuard[] } = { refusals: [], through: [], guards: [] };
  const server = net.createServer({ noDelay: true }, (socket) => {
    const guard = new PacketGuard(socket, limit, (reason, n) => seen.refusals.push([reason, n]));
    seen.guards.push(guard);
    guard.on('data', (b: Buffer) => seen.through.push(b));
    guard.on('error', () => {});
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { port: (server.address() as net.AddressInfo).port, seen };
}

const connect = (port: number) =>
  new Promise<net.Socket>((resolve) => {
    const s = net.connect(port, '127.0.0.1', () => resolve(s));
  });

describe('the packet guard', () => {
  it('passes small packets split across writes and notices DISCONNECT', async () => {
    const { port, seen } = await guarded(100);
    const s = await connect(port);
    const pingreq = Buffer.from([0xc0, 0x00]);
    const publish = Buffer.concat([Buffer.from([0x30, 10]), Buffer.alloc(10, 1)]);
    s.write(Buffer.concat([pingreq, publish.subarray(0, 5)]));
    s.write(Buffer.concat([publish.subarray(5), Buffer.from([0xe0, 0x00])]));
    await new Promise<void>((r) => s.on('close', () => r()) && s.end());
    expect(Buffer.concat(seen.through).length).toBe(2 + 12 + 2);
    expect(seen.refusals).toEqual([]);
    expect(seen.guards[0]?.sawDisconnect).toBe(true);
  });

  it('closes the connection when a header announces more than the limit, before the body arrives', async () => {
    const { port, seen } = await guarded(16 * 1024);
    const s = await connect(port);
    // PUBLISH announcing 100 KiB: remaining length 102400 = 0x80 0xa0 0x06.
    s.write(Buffer.from([0x30, 0x80, 0xa0, 0x06]));
    await new Promise<void>((r) => s.on('close', () => r()));
    expect(seen.refusals).toEqual([['too_large', 102_404]]);
    expect(seen.through).toEqual([]);
  });
});
