import { type DeviceIntake, receiveWindow } from '../device-intake.ts';
import { meaningOf, parseContactId } from './contact-id.ts';
import { ack, checkEnvelope, type Dc09Header, type Dc09Message, duh, inWindow, nak, parseBody } from './frame.ts';
import type { Dc09Keys } from './keys.ts';

/**
 * The alarm-receiving-centre side of DC-09, shared by TCP and UDP: one frame in, one answer out.
 * ACK only once what the message says is stored (P1); NAK when it cannot be trusted (CRC, length,
 * time window, key, unknown account) so the panel retries and, failing, reports a fault locally.
 */
export class Dc09Receiver {
  constructor(
    private readonly intake: DeviceIntake,
    private readonly keys: Dc09Keys,
    private readonly now: () => number,
  ) {}

  private count(outcome: string): void {
    this.intake.metrics.frames.inc({ protocol: 'dc09', outcome });
  }

  /** The answer to a frame whose envelope failed (for the TCP splitter). */
  refuse(reason: string): Buffer {
    this.count(reason);
    return nak(this.now());
  }

  async handle(frame: Buffer): Promise<Buffer> {
    const receivedAt = this.now();
    const env = checkEnvelope(frame);
    if (!env.ok) return this.refuse(env.reason);
    const parsed = parseBody(env.body, (account) => this.keys.get(account));
    if (!parsed.ok) {
      if (parsed.header) this.intake.ctx.logger.warn({ account: parsed.header.account, reason: parsed.reason }, 'DC-09 message refused');
      return this.refuse(parsed.reason);
    }
    const m = parsed.message;
    if (!inWindow(m.timestamp, receivedAt)) return this.refuse('outside_time_window');
    if (m.id !== 'NULL' && m.id !== 'ADM-CID') {
      this.count('unknown_type');
      return duh(m, receivedAt, this.keyOf(m));
    }
    const deviceId = await this.intake.resolve('dc09', m.account, receivedAt);
    if (!deviceId) return nak(receivedAt);
    if (m.id === 'NULL') {
      this.intake.polled(deviceId, m.timestamp ?? receivedAt, 'dc09 NULL');
      this.count('accepted');
      return ack(m, receivedAt, this.keyOf(m));
    }
    const cid = parseContactId(m.data);
    if (!cid) return this.refuse('malformed_contact_id');
    await this.apply(deviceId, m, cid, frame, receivedAt);
    this.count('accepted');
    return ack(m, receivedAt, this.keyOf(m));
  }

  private async apply(
    deviceId: string,
    m: Dc09Message,
    cid: NonNullable<ReturnType<typeof parseContactId>>,
    frame: Buffer,
    receivedAt: number,
  ): Promise<void> {
    const ts = m.timestamp ?? receivedAt;
    const meaning = meaningOf(cid);
    const loc = location(m.extended);
    if (meaning.type === 'alarm') {
      // A retransmission re-stamps the message: only the receive-time window can tell it apart.
      const id = `dc09-${m.seq}-${cid.qualifier}${cid.code}-${cid.partition}-${cid.zone}-${receiveWindow(receivedAt)}`;
      await this.intake.alarm(deviceId, { id, ts, kind: meaning.kind, note: meaning.note, ...(loc ? { loc } : {}) }, frame, receivedAt);
    } else if (meaning.type === 'event') {
      this.intake.event(deviceId, { ts, kind: meaning.kind, detail: { source: meaning.note } }, receivedAt);
    } else {
      this.intake.polled(deviceId, ts, meaning.note);
    }
  }

  private keyOf(h: Dc09Header): Buffer | undefined {
    return this.keys.get(h.account);
  }
}

/** DC-09 extended data: `[X<longitude>]` and `[Y<latitude>]` in decimal degrees. */
function location(ext: Record<string, string>): { lat: number; lon: number } | undefined {
  const lat = Number(ext.Y);
  const lon = Number(ext.X);
  if (ext.X === undefined || ext.Y === undefined || !Number.isFinite(lat) || !Number.isFinite(lon)) return undefined;
  if (Math.abs(lat) > 90 || Math.abs(lon) > 180) return undefined;
  return { lat, lon };
}
