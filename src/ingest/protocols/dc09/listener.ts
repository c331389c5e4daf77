import dgram from 'node:dgram';
import type { Logger } from '../../../platform/logger.ts';
import type { DeviceIntake } from '../device-intake.ts';
import { type GatewayLimits, startTcpGateway, type TcpGateway } from '../tcp-gateway.ts';
import { MAX_FRAME_BYTES, splitFrame } from './frame.ts';
import type { Dc09Keys } from './keys.ts';
import { Dc09Receiver } from './receiver.ts';

export interface Dc09GatewayOptions {
  host: string;
  port: number;
  limits: GatewayLimits;
  logger: Logger;
  intake: DeviceIntake;
  keys: Dc09Keys;
  now(): number;
}

/** At most this many UDP datagrams in handling at once; more are dropped (the panel retries). */
const MAX_UDP_IN_FLIGHT = 256;

/** `CENTINELA_DC09_PORT`: SIA DC-09 over TCP and UDP on the same port number (issue 17 §4). */
export async function startDc09Gateway(opts: Dc09GatewayOptions): Promise<TcpGateway> {
  const receiver = new Dc09Receiver(opts.intake, opts.keys, opts.now);
  const tcp = await startTcpGateway<Buffer, null>({
    protocol: 'dc09',
    host: opts.host,
    port: opts.port,
    limits: opts.limits,
    logger: opts.logger,
    metrics: opts.intake.metrics,
    initialState: () => null,
    split: splitFrame,
    onFrame: async (session, frame) => session.send(await receiver.handle(frame)),
    onDown: (reason) => opts.intake.gatewayDown('dc09', 'dc09', opts.now(), reason),
  });

  const udp = dgram.createSocket('udp4');
  let inFlight = 0;
  udp.on('message', (msg, rinfo) => {
    if (msg.length > MAX_FRAME_BYTES || inFlight >= MAX_UDP_IN_FLIGHT) {
      opts.intake.metrics.frames.inc({ protocol: 'dc09', outcome: msg.length > MAX_FRAME_BYTES ? 'oversized' : 'udp_overload' });
      return;
    }
    inFlight++;
    receiver
      .handle(msg)
      .then((reply) => udp.send(reply, rinfo.port, rinfo.address))
      .catch((err: unknown) => opts.logger.error({ err }, 'DC-09 datagram could not be handled; no answer, the panel retries'))
      .finally(() => {
        inFlight--;
      });
  });
  udp.on('error', (err) => opts.logger.error({ err }, 'DC-09 UDP socket error'));
  await new Promise<void>((resolve, reject) => {
    udp.once('error', reject);
    udp.bind(tcp.port, opts.host, () => {
      udp.off('error', reject);
      resolve();
    });
  });

  return {
    port: tcp.port,
    connections: tcp.connections,
    stop: async () => {
      await new Promise<void>((resolve) => udp.close(() => resolve()));
      await tcp.stop();
    },
  };
}
