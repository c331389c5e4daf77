import type { Notifier, OutgoingMessage, SendResult } from './port.ts';

/**
 * SMS or voice without a carrier configured (no TWILIO_*): the message is put in front of the
 * operators on the console, so they can call or write by hand, and recorded as NOT sent with the
 * reason — never as delivered (issue 14 §1). The console shows a banner while this is so.
 */
export class NotConfiguredNotifier implements Notifier {
  readonly name: string;
  constructor(
    private readonly channel: 'sms' | 'voice',
    private readonly show: (message: OutgoingMessage) => void,
  ) {
    this.name = `${channel} (not configured)`;
  }

  async send(message: OutgoingMessage): Promise<SendResult> {
    this.show(message);
    return { status: 'not_sent', providerId: null, httpStatus: null, reason: `${this.channel}_not_configured` };
  }
}
