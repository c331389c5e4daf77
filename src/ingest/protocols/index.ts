import type { GatewaysConfig } from '../../config/schema.ts';
import { CentinelaError } from '../../domain/errors.ts';
import type { Clock, Logger, Metrics } from '../../platform/index.ts';
import type { IngestContext } from '../context.ts';
import { loadDc09Keys } from './dc09/keys.ts';
import { startDc09Gateway } from './dc09/listener.ts';
import { DeviceIntake } from './device-intake.ts';
import { startGt06Gateway } from './gt06/listener.ts';
import { createInreachIntake, type InreachIntake } from './inreach/intake.ts';
import { createGatewayMetrics } from './metrics.ts';
import { startSbdGateway } from './sbd/listener.ts';
import { SbdMtClient } from './sbd/mt-client.ts';
import { DEFAULT_LIMITS, type TcpGateway } from './tcp-gateway.ts';

export type { GatewaysConfig } from '../../config/schema.ts';
export { DeviceIntake } from './device-intake.ts';
export type { InreachIntake } from './inreach/intake.ts';

/** The ports the protocol gateways actually bound (the real one when 0 was asked). */
export interface ProtocolPorts {
  gt06: number | undefined;
  /** TCP and UDP on the same number. */
  dc09: number | undefined;
  sbd: number | undefined;
}

/** The Iridium gateway opens one short connection per message: no reason to hold one for long. */
const SBD_LIMITS = { ...DEFAULT_LIMITS, idleMs: 60_000, maxBufferBytes: 4096 };

export interface ProtocolGateways {
  ports: ProtocolPorts;
  intake: DeviceIntake;
  inreach: InreachIntake | undefined;
  stop(): Promise<void>;
}

/** A port already taken stops the start with a message naming the variable to change. */
async function explained<T>(variable: string, port: number, listen: () => Promise<T>): Promise<T> {
  try {
    return await listen();
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code !== 'EADDRINUSE' && code !== 'EACCES') throw err;
    throw new CentinelaError(
      'CENTINELA_ERR_PORT_IN_USE',
      `port ${port} is ${code === 'EACCES' ? 'not allowed' : 'already in use'}: set ${variable} to a free port`,
      {
        variable,
        port,
      },
    );
  }
}

/** Starts each protocol gateway whose port is configured (issue 17); none when none is. */
export async function startProtocolGateways(
  config: GatewaysConfig,
  deps: { ctx: IngestContext; metrics: Metrics; logger: Logger; clock: Clock },
): Promise<ProtocolGateways> {
  const intake = new DeviceIntake(deps.ctx, createGatewayMetrics(deps.metrics));
  const logger = deps.logger.child({ part: 'gateways' });
  const now = () => deps.clock.now();
  const started: TcpGateway[] = [];
  const stop = async () => {
    await Promise.all(started.map((g) => g.stop()));
  };
  try {
    const gt06 =
      config.gt06Port === undefined
        ? undefined
        : await explained('CENTINELA_GT06_PORT', config.gt06Port, () =>
            startGt06Gateway({ host: config.host, port: config.gt06Port as number, limits: DEFAULT_LIMITS, logger, intake, now }),
          );
    if (gt06) started.push(gt06);
    const dc09 =
      config.dc09Port === undefined
        ? undefined
        : await explained('CENTINELA_DC09_PORT', config.dc09Port, () =>
            startDc09Gateway({
              host: config.host,
              port: config.dc09Port as number,
              limits: DEFAULT_LIMITS,
              logger,
              intake,
              keys: loadDc09Keys(config.dc09KeysFile),
              now,
            }),
          );
    if (dc09) started.push(dc09);
    const mt = config.sbdMtAddress ? new SbdMtClient(config.sbdMtAddress, intake, now) : undefined;
    const sbd =
      config.sbdPort === undefined
        ? undefined
        : await explained('CENTINELA_SBD_PORT', config.sbdPort, () =>
            startSbdGateway({ host: config.host, port: config.sbdPort as number, limits: SBD_LIMITS, logger, intake, mt, now }),
          );
    if (sbd) started.push(sbd);
    if (started.length > 0) logger.info({ gt06: gt06?.port, dc09: dc09?.port, sbd: sbd?.port }, 'protocol gateways listening');
    const inreach = config.inreachToken ? createInreachIntake(config.inreachToken, intake) : undefined;
    return { ports: { gt06: gt06?.port, dc09: dc09?.port, sbd: sbd?.port }, intake, inreach, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
