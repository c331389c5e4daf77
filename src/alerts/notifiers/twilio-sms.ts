import type { Notifier, OutgoingMessage, SendResult } from './port.ts';
import { type TwilioClient, toNotifierError } from './twilio-client.ts';

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
}
