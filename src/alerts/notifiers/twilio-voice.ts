import type { Notifier, OutgoingMessage, SendResult } from './port.ts';
import { madeSince, type TwilioClient, toNotifierError } from './twilio-client.ts';

/**
 * A voice call through Twilio. Twilio fetches the TwiML from /api/twilio/voice/:id, which speaks
 * the alarm and gathers a keypress; the call counts as reaching someone only on that keypress.
 */
export class TwilioVoiceNotifier implements Notifier {
  readonly name = 'twilio-voice';
  constructor(
    private readonly client: TwilioClient,
    private readonly from: string,
    private readonly publicUrl: string,
  ) {}

  async send(message: OutgoingMessage): Promise<SendResult> {
    try {
      const call = await this.client.calls.create({
        to: message.address as string,
        from: this.from,
        url: `${this.publicUrl}/api/twilio/voice/${message.notificationId}`,
        method: 'POST',
        statusCallback: `${this.publicUrl}/api/twilio/voice-status/${message.notificationId}`,
        statusCallbackMethod: 'POST',
      });
      return { status: 'calling', providerId: call.sid, httpStatus: 201 };
    } catch (err) {
      throw toNotifierError(err);
    }
  }

  /**
   * A call whose request went unanswered may be ringing already: any call to the same number
   * placed since then counts as this one, so a person is never called twice within a minute
   * for one page (docs/paging.md).
   */
  async lookup(message: OutgoingMessage, since: number): Promise<SendResult | null> {
    try {
      const list = await this.client.calls.list({ to: message.address as string, from: this.from, limit: 50 });
      const found = list.find((c) => madeSince(c.dateCreated, since));
      return found ? { status: 'calling', providerId: found.sid, httpStatus: 200 } : null;
    } catch (err) {
      throw toNotifierError(err);
    }
  }
}
