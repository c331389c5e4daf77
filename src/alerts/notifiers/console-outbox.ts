import type { Notifier, OutgoingMessage, SendResult } from './port.ts';

/**
 * The console outbox: the message is shown to operators on the live stream. It needs no network,
 * and without Twilio credentials SMS and voice land here too, so no alarm goes unpaged.
 */
export class ConsoleOutboxNotifier implements Notifier {
  readonly name = 'console';
  constructor(private readonly show: (message: OutgoingMessage) => void) {}

  async send(message: OutgoingMessage): Promise<SendResult> {
    this.show(message);
    return { status: 'delivered', providerId: null, httpStatus: null };
  }
}
