/**
 * Plays Garmin's IPC Outbound service for one inReach: builds the JSON Garmin pushes (Version
 * 2.0, an `Events` array) and POSTs it with the outbound token, as Garmin does after each
 * message from the device.
 */
export interface InreachPoint {
  lat: number;
  lon: number;
}

export const MESSAGE_CODES = {
  position: 0,
  freeText: 3,
  declareSos: 4,
  confirmSos: 6,
  cancelSos: 7,
  trackInterval: 11,
  amIAlive: 21,
} as const;

export function ipcEvent(
  imei: string,
  messageCode: number,
  at: number,
  opts: { point?: InreachPoint; text?: string; lowBattery?: boolean } = {},
) {
  return {
    imei,
    messageCode,
    freeText: opts.text ?? null,
    timeStamp: at,
    addresses: [],
    point: opts.point
      ? { latitude: opts.point.lat, longitude: opts.point.lon, altitude: 2250, gpsFix: 2, course: 0, speed: 0 }
      : { latitude: 0, longitude: 0, altitude: 0, gpsFix: 0, course: 0, speed: 0 },
    status: { autonomous: 0, lowBattery: opts.lowBattery ? 1 : 0, intervalChange: 0, resetDetected: 0 },
  };
}

export class SimulatedIpcOutbound {
  constructor(
    private readonly url: string,
    private readonly token: string,
  ) {}

  async push(events: ReturnType<typeof ipcEvent>[], token = this.token): Promise<{ status: number; body: unknown }> {
    const res = await fetch(this.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-outbound-auth-token': token },
      body: JSON.stringify({ Version: '2.0', Events: events }),
    });
    return { status: res.status, body: await res.json() };
  }
}
