import { createHmac } from 'node:crypto';
import { type Notifier, NotifierError, type OutgoingMessage, type SendResult } from './port.ts';

/** The header carrying `sha256=<hex HMAC of the raw body>` keyed by CENTINELA_WEBHOOK_SECRET. */
export const WEBHOOK_SIGNATURE_HEADER = 'x-centinela-signature';

export function signWebhook(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** A signed JSON POST to the centre's own integration (a radio dispatch system, a chat bridge). */
export class WebhookNotifier implements Notifier {
  readonly name = 'webhook';
  constructor(
    private readonly url: string,
    private readonly secret: string | undefined,
  ) {}

  async send(message: OutgoingMessage): Promise<SendResult> {
    const body = JSON.stringify({ notificationId: message.notificationId, alarmId: message.alarmId, text: message.body });
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (this.secret) headers[WEBHOOK_SIGNATURE_HEADER] = signWebhook(this.secret, body);
    let res: Response;
    try {
      res = await fetch(this.url, { method: 'POST', headers, body, signal: AbortSignal.timeout(10_000) });
    } catch (err) {
      throw new NotifierError(`webhook unreachable: ${(err as Error).message}`, true, null);
    }
    if (!res.ok) throw new NotifierError(`webhook answered ${res.status}`, res.status === 429 || res.status >= 500, res.status);
    return { status: 'delivered', providerId: null, httpStatus: res.status };
  }
}
