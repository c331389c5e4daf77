import type { Notifier, OutgoingMessage, SendResult } from './port.ts';

/**
 * The console outbox: the message is shown to operators on the live stream. It needs no network.
 * Shown is not delivered: no person outside the centre received anything (issue 14 §1).
 */
export class ConsoleOutboxNotifier implements Notifier {
  readonly name = 'console';
  constructor(private readonly show: (message: OutgoingMessage) => void) {}

  async send(message: OutgoingMessage): Promise<SendResult> {
    this.show(message);
    return { status: 'shown', providerId: null, httpStatus: null };
  }
}
