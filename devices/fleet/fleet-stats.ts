import type { SimEvent } from '../simulators/types.ts';

/** Counters a person watching the fleet (or a benchmark) cares about. */
export interface FleetStats {
  devices: number;
  connected: number;
  dead: number;
  heartbeats: number;
  lateHeartbeats: number;
  failedCheckins: number;
  alarmsPressed: number;
  alarmsDelivered: number;
  alarmsPending: number;
  acksReceived: number;
  deviceEvents: number;
  errors: number;
}

export function emptyStats(devices: number): FleetStats {
  return {
    devices,
    connected: 0,
    dead: 0,
    heartbeats: 0,
    lateHeartbeats: 0,
    failedCheckins: 0,
    alarmsPressed: 0,
    alarmsDelivered: 0,
    alarmsPending: 0,
    acksReceived: 0,
    deviceEvents: 0,
    errors: 0,
  };
}

/** Folds one simulator event into the counters (connected and pending are read live instead). */
export function countEvent(stats: FleetStats, e: SimEvent): void {
  switch (e.type) {
    case 'heartbeat':
      if (e.late) stats.lateHeartbeats++;
      else stats.heartbeats++;
      break;
    case 'checkin_failed':
      stats.failedCheckins++;
      break;
    case 'alarm_pressed':
      stats.alarmsPressed++;
      break;
    case 'alarm_puback':
      stats.alarmsDelivered++;
      break;
    case 'ack_received':
      stats.acksReceived++;
      break;
    case 'device_event':
      stats.deviceEvents++;
      break;
    case 'died':
      stats.dead++;
      break;
    case 'error':
      stats.errors++;
      break;
    default:
      break;
  }
}

export function formatStats(s: FleetStats): string {
  return [
    `devices ${s.connected}/${s.devices} online`,
    `${s.dead} dead`,
    `heartbeats ${s.heartbeats} (+${s.lateHeartbeats} late, ${s.failedCheckins} failed check-ins)`,
    `alarms ${s.alarmsDelivered}/${s.alarmsPressed} delivered, ${s.alarmsPending} queued`,
    `acks ${s.acksReceived}`,
    `events ${s.deviceEvents}`,
    ...(s.errors ? [`errors ${s.errors}`] : []),
  ].join(' · ');
}
