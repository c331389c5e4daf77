import type { Role } from '../domain/roles.ts';
import type { EventBus } from '../events/index.ts';

/** One message on the live stream (server-sent event name + JSON data). */
export interface StreamMessage {
  event: string;
  data: Record<string, unknown>;
  /** Whether `data` carries anything that leads to a person (beneficiary, alias, text). */
  personal: boolean;
}

type Subscriber = { role: Role; send: (m: StreamMessage) => void };

const HANDLERS: Role[] = ['operator', 'supervisor'];

/**
 * The live stream behind GET /api/stream. P6: operators and supervisors get alarms, notifications
 * and device states; technicians and administrators get device states without the link to the
 * person; analysts get nothing per person, only keep-alives.
 */
export class StreamHub {
  private readonly subscribers = new Set<Subscriber>();

  subscribe(role: Role, send: (m: StreamMessage) => void): () => void {
    const sub = { role, send };
    this.subscribers.add(sub);
    return () => this.subscribers.delete(sub);
  }

  get size(): number {
    return this.subscribers.size;
  }

  publish(message: StreamMessage): void {
    for (const sub of this.subscribers) {
      const view = viewFor(sub.role, message);
      if (view) sub.send(view);
    }
  }

  /** Relays the bus events the stream carries. Returns the unsubscribe functions. */
  relay(events: EventBus): (() => void)[] {
    // Operators may be connected to any node: changes raised on other nodes are shown too.
    const any = { origin: 'any' } as const;
    return [
      events.on('alarm.changed', (e) => this.publish({ event: 'alarm.changed', data: { ...e }, personal: true }), any),
      events.on('alarm.escalated', (e) => this.publish({ event: 'alarm.escalated', data: { ...e }, personal: true }), any),
      events.on('notification.changed', (e) => this.publish({ event: 'notification.changed', data: { ...e }, personal: true }), any),
      events.on('device.state.changed', (e) => this.publish({ event: 'device.state.changed', data: { ...e }, personal: false }), any),
      // Issue 13: a press this node journaled while the database is away, shown at once.
      events.on('alarm.journaled', (e) => this.publish({ event: 'alarm.journaled', data: { ...e }, personal: true })),
      // This node announces its own new alarms once their escalation starts (alarm-opener);
      // another node's new alarm or repeat press arrives here as the relayed intake event.
      events.on(
        'alarm.raised',
        (e) =>
          e.joined
            ? this.publish({
                event: 'alarm.press_joined',
                data: { alarmId: e.alarmId, pressCount: e.pressCount, at: e.receivedAt },
                personal: true,
              })
            : this.publish({
                event: 'alarm.opened',
                data: { alarmId: e.alarmId, deviceId: e.deviceId, kind: e.kind, at: e.receivedAt },
                personal: true,
              }),
        { origin: 'remote' },
      ),
    ];
  }
}

function viewFor(role: Role, message: StreamMessage): StreamMessage | undefined {
  if (HANDLERS.includes(role)) return message;
  if (role === 'analyst' || message.personal) return undefined;
  // Technicians and administrators: device states, stripped of the link to the person.
  const { beneficiaryId: _withheld, ...rest } = message.data;
  return { ...message, data: rest };
}
