import type { Notifier, OutgoingMessage, SendResult } from './port.ts';
import { madeSince, type TwilioClient, toNotifierError } from './twilio-client.ts';

/**
 * SMS through Twilio. `sent` is not `reached`: the signed status callback to
 * /api/twilio/sms-status says delivered (reached) or failed/undelivered (fall back to voice).
 */
export class TwilioSmsNotifier implements Notifier {
  readonly name = 'twilio-sms';
  constructor(
    private readonly client: TwilioClient,
    private readonly from: string,
    private readonly publicUrl: string,
  ) {}

  async send(message: OutgoingMessage): Promise<SendResult> {
    try {
      const sent = await this.client.messages.create({
        to: message.address as string,
        from: this.from,
        body: message.body,
        statusCallback: `${this.publicUrl}/api/twilio/sms-status`,
      });
      return { status: 'sent', providerId: sent.sid, httpStatus: 201 };
    } catch (err) {
      throw toNotifierError(err);
    }
  }

  /**
   * Twilio's Messages API has no idempotency key: after a crash or a timeout the message is
   * looked up (`GET Messages.json?To=&DateSent>=`) by its number and exact text (docs/paging.md).
   */
  async lookup(message: OutgoingMessage, since: number): Promise<SendResult | null> {
    try {
      const list = await this.client.messages.list({
        to: message.address as string,
        from: this.from,
        dateSentAfter: new Date(since - 60_000),
        limit: 50,
      });
      const found = list.find((m) => m.body === message.body && madeSince(m.dateCreated, since));
      return found ? { status: 'sent', providerId: found.sid, httpStatus: 200 } : null;
    } catch (err) {
      throw toNotifierError(err);
    }
  }
}
