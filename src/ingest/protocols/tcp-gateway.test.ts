import net from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { createLogger, createMetrics } from '../../platform/index.ts';
import { createGatewayMetrics } from './metrics.ts';
import { type GatewayLimits, type Split, startTcpGateway, type TcpGateway } from './tcp-gateway.ts';

/** A toy protocol: frames are `<` … `>`; anything else at the head is garbage. */
function split(buf: Buffer): Split<string> {
  if (buf.length === 0) return { kind: 'need_more' };
  if (buf[0] !== 0x3c) return { kind: 'fatal', reason: 'garbage' };
  const end = buf.indexOf(0x3e);
  if (end < 0) return { kind: 'need_more' };
  const body = buf.subarray(1, end).toString();
  if (body === 'bad') return { kind: 'bad', reason: 'bad_crc', used: end + 1, reply: Buffer.from('NAK') };
  return { kind: 'frame', frame: body, used: end + 1 };
}

const LIMITS: GatewayLimits = { maxBufferBytes: 64, idleMs: 400, stallMs: 200, maxQueuedFrames: 4, maxBadFrames: 2 };
let gateway: TcpGateway | undefined;
afterEach(async () => {
  await gateway?.stop();
});

async function start(onFrame: (frame: string) => Promise<void> | void = () => {}) {
  const registry = createMetrics();
  const metrics = createGatewayMetrics(registry);
  gateway = await startTcpGateway<string, null>({
    protocol: 'toy',
    host: '127.0.0.1',
    port: 0,
    limits: LIMITS,
    metrics,
    logger: createLogger({ level: 'silent' }),
    initialState: () => null,
    split,
    onFrame: async (s, f) => {
      await onFrame(f);
      s.send(Buffer.from(`ACK ${f};`));
    },
  });
  const closedFor = async (reason: string) =>
    (await registry.registry.getSingleMetric('centinela_gateway_sockets_closed_total')?.get())?.values.find(
      (v) => v.labels.reason === reason,
    )?.value ?? 0;
  return { port: gateway.port, closedFor };
}

async function client(port: number) {
  const socket = net.connect({ host: '127.0.0.1', port });
  await new Promise((resolve) => socket.once('connect', resolve));
  let received = '';
  socket.on('data', (d) => {
    received += d.toString();
  });
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  return { socket, closed, received: () => received };
}

describe('a protocol gateway socket', () => {
  test('answers frames in order, each after the previous one was handled', async () => {
    const order: string[] = [];
    const g = await start(async (f) => {
      await new Promise((r) => setTimeout(r, f === 'a' ? 30 : 0));
      order.push(f);
    });
    const c = await client(g.port);
    c.socket.write('<a><b>');
    await new Promise<void>((resolve) => c.socket.on('data', () => c.received().includes('ACK b') && resolve()));
    expect(order).toEqual(['a', 'b']);
    expect(c.received()).toBe('ACK a;ACK b;');
    c.socket.destroy();
  });

  test('a frame begun but never finished is closed as stalled', async () => {
    const g = await start();
    const c = await client(g.port);
    c.socket.write('<half');
    await c.closed;
    expect(await g.closedFor('stalled')).toBe(1);
  });

  test('a silent connection is closed as idle', async () => {
    const g = await start();
    const c = await client(g.port);
    await c.closed;
    expect(await g.closedFor('idle')).toBe(1);
  });

  test('more undecoded bytes than the buffer allows are closed as oversized', async () => {
    const g = await start();
    const c = await client(g.port);
    c.socket.write(`<${'x'.repeat(100)}`);
    await c.closed;
    expect(await g.closedFor('oversized')).toBe(1);
  });

  test('a flood of frames faster than they can be handled is closed', async () => {
    const g = await start(() => new Promise((r) => setTimeout(r, 50)));
    const c = await client(g.port);
    c.socket.write('<1><2><3><4><5><6><7><8>');
    await c.closed;
    expect(await g.closedFor('flood')).toBe(1);
  });

  test('bad frames are each answered as the protocol says (here NAK); past the tolerated number the socket is closed', async () => {
    const g = await start();
    const c = await client(g.port);
    c.socket.write('<bad><bad><bad>');
    await c.closed;
    expect(c.received()).toBe('NAKNAKNAK');
    expect(await g.closedFor('too_many_bad_frames')).toBe(1);
  });
});
