import { timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { DeviceIntake } from '../device-intake.ts';

/**
 * Garmin inReach through IPC Outbound (docs/protocols.md "Garmin inReach"): Garmin POSTs
 * `{ Version, Events: [...] }`, each event with the device IMEI, a message code, a time and a
 * point. Garmin retries until it gets a 2xx, so the answer waits until alarms are durable (P1).
 */
export interface InreachIntake {
  /** Constant-time check of the configured token. */
  authorised(token: string | undefined): boolean;
  /** Stores what a push carries; resolves once its alarms are durable (P1), then Garmin gets 200. */
  accept(body: unknown, receivedAt: number): Promise<{ accepted: number; ignored: number }>;
}

/** IPC Outbound message codes Centinela acts on. */
export const CODE = {
  position: 0,
  locate: 2,
  freeText: 3,
  declareSos: 4,
  confirmSos: 6,
  cancelSos: 7,
  startTrack: 10,
  trackInterval: 11,
  stopTrack: 12,
  amIAlive: 21,
} as const;
const TRACKING = new Set<number>([
  CODE.position,
  CODE.locate,
  CODE.freeText,
  CODE.startTrack,
  CODE.trackInterval,
  CODE.stopTrack,
  CODE.amIAlive,
]);

export const MAX_EVENTS = 500;
export const inreachEventSchema = z.object({
  imei: z.string().regex(/^\d{15}$/),
  messageCode: z.number().int().min(0).max(255),
  freeText: z.string().max(500).nullish(),
  timeStamp: z.number().int().nonnegative(),
  point: z
    .object({ latitude: z.number().min(-90).max(90), longitude: z.number().min(-180).max(180), gpsFix: z.number().int().optional() })
    .partial({ gpsFix: true })
    .nullish(),
  status: z.object({ lowBattery: z.number().int().optional() }).passthrough().nullish(),
});
export type InreachEvent = z.infer<typeof inreachEventSchema>;
export const inreachPushSchema = z.object({ Version: z.string().max(10).optional(), Events: z.array(z.unknown()).max(MAX_EVENTS) });

export function createInreachIntake(token: string, intake: DeviceIntake): InreachIntake {
  const expected = Buffer.from(token);
  const count = (outcome: string, n = 1) => intake.metrics.frames.inc({ protocol: 'inreach', outcome }, n);

  async function one(raw: unknown, receivedAt: number): Promise<boolean> {
    const parsed = inreachEventSchema.safeParse(raw);
    if (!parsed.success) {
      count('malformed');
      return false;
    }
    const e = parsed.data;
    const deviceId = await intake.resolve('inreach', e.imei, receivedAt);
    if (!deviceId) return false;
    // gpsFix 0 (or a 0,0 point) is "no position".
    const loc =
      e.point && e.point.gpsFix !== 0 && (e.point.latitude !== 0 || e.point.longitude !== 0)
        ? { lat: e.point.latitude, lon: e.point.longitude }
        : undefined;
    const frame = Buffer.from(JSON.stringify(raw));
    if (e.messageCode === CODE.declareSos || e.messageCode === CODE.confirmSos) {
      // A confirmation is a second press on the open SOS: the operator sees the count rise.
      const note =
        `inReach ${e.messageCode === CODE.declareSos ? 'SOS declared' : 'SOS confirmed'}${e.freeText ? `: ${e.freeText}` : ''}`.slice(
          0,
          280,
        );
      await intake.alarm(
        deviceId,
        { id: `inreach-${e.messageCode}-${e.timeStamp}`, ts: e.timeStamp, kind: 'sos', note, ...(loc ? { loc } : {}) },
        frame,
        receivedAt,
      );
    } else if (e.messageCode === CODE.cancelSos) {
      // Never a silent close: the alarm stays open for the operator, who sees the cancellation.
      intake.event(
        deviceId,
        {
          ts: e.timeStamp,
          kind: 'sos_cancelled',
          detail: { source: 'inReach Cancel SOS', ...(loc ? { lat: loc.lat, lon: loc.lon } : {}) },
        },
        receivedAt,
      );
    } else if (TRACKING.has(e.messageCode)) {
      // inReach reports only a low-battery flag: 10 % when set, 100 % otherwise (a flag, not a measurement).
      const battery = e.status?.lowBattery ? 10 : 100;
      intake.heartbeat(
        deviceId,
        { ts: e.timeStamp, seq: e.timeStamp % 2 ** 31, battery, signal: { network: 'iridium' }, ...(loc ? { loc } : {}) },
        receivedAt,
      );
    } else {
      intake.polled(deviceId, e.timeStamp, `inreach message code ${e.messageCode}`);
    }
    count('accepted');
    return true;
  }

  return {
    authorised: (given) => {
      if (!given) return false;
      const b = Buffer.from(given);
      return b.length === expected.length && timingSafeEqual(b, expected);
    },
    accept: async (body, receivedAt) => {
      const parsed = inreachPushSchema.safeParse(body);
      if (!parsed.success) {
        count('malformed');
        return { accepted: 0, ignored: 1 };
      }
      let accepted = 0;
      // In order: a Declare SOS is stored before the Cancel that follows it in the same push.
      for (const raw of parsed.data.Events) if (await one(raw, receivedAt)) accepted++;
      return { accepted, ignored: parsed.data.Events.length - accepted };
    },
  };
}
