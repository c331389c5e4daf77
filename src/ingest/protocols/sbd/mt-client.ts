import net from 'node:net';
import type { DeviceIntake } from '../device-intake.ts';
import { encodeMt, type MtConfirmation, parseMtConfirmation, splitMessage } from './directip.ts';

const TIMEOUT_MS = 10_000;

/**
 * Sends mobile-terminated messages to the Iridium gateway's DirectIP MT port and reads its MT
 * confirmation. A gateway that cannot be reached is `gateway.down` (a technician matter); the
 * next confirmation brings it back up.
 */
export class SbdMtClient {
  private nextId = 1;
  private down = false;

  constructor(
    private readonly address: { host: string; port: number },
    private readonly intake: DeviceIntake,
    private readonly now: () => number,
  ) {}

  async send(imei: string, payload: Buffer): Promise<MtConfirmation | undefined> {
    const id = this.nextId++;
    try {
      const confirmation = await this.exchange(encodeMt(id, imei, payload));
      if (this.down) {
        this.down = false;
        this.intake.gatewayUp('sbd-mt', this.now());
      }
      this.intake.metrics.frames.inc({ protocol: 'sbd', outcome: confirmation && confirmation.status >= 0 ? 'mt_queued' : 'mt_refused' });
      return confirmation;
    } catch (err) {
      this.intake.metrics.frames.inc({ protocol: 'sbd', outcome: 'mt_failed' });
      if (!this.down) {
        this.down = true;
        // Terminals are still heard (MO); only their acknowledgements cannot reach them: no device listed.
        this.intake.gatewayDown('sbd-mt', undefined, this.now(), (err as Error).message.slice(0, 120));
      }
      return undefined;
    }
  }

  private exchange(message: Buffer): Promise<MtConfirmation | undefined> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(this.address);
      let buf = Buffer.alloc(0);
      const finish = (err: Error | undefined, value?: MtConfirmation) => {
        socket.destroy();
        if (err) reject(err);
        else resolve(value);
      };
      socket.setTimeout(TIMEOUT_MS, () => finish(new Error('MT confirmation timed out')));
      socket.on('error', (err) => finish(err));
      socket.on('connect', () => socket.write(message));
      socket.on('data', (d: Buffer) => {
        buf = Buffer.concat([buf, d]);
        const r = splitMessage(buf);
        if (r.kind === 'fatal') finish(new Error(`unreadable MT confirmation (${r.reason})`));
        else if (r.kind === 'frame') finish(undefined, parseMtConfirmation(r.frame));
      });
      socket.on('close', () => finish(new Error('the gateway closed without an MT confirmation')));
    });
  }
}
