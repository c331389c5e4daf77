/** One message on its way to one recipient (an outbox row being attempted). */
export interface OutgoingMessage {
  notificationId: string;
  alarmId: string;
  channel: 'console' | 'sms' | 'voice' | 'webhook';
  /** Phone number or URL; absent for the console. Never logged. */
  address: string | null;
  body: string;
  language: string;
}

/**
 * What the provider answered: accepted (sent, with its id), delivered (a webhook's 2xx), shown
 * on the console, or not sent at all because no carrier exists for the channel — then `reason`
 * says why (issue 14 §1: never "delivered" for a message no carrier took).
 */
export interface SendResult {
  status: 'sent' | 'calling' | 'delivered' | 'shown' | 'not_sent';
  providerId: string | null;
  httpStatus: number | null;
  /** A reason code for `not_sent` (`sms_not_configured`, `voice_not_configured`); texts in src/web/i18n. */
  reason?: string;
}

/** A provider failure; `retryable` for 429 and 5xx (issue 4), never for a rejected number. */
export class NotifierError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly httpStatus: number | null,
    /** The request may have reached the provider (no answer, a reset): its outcome is unknown. */
    readonly inDoubt = false,
  ) {
    super(message);
    this.name = 'NotifierError';
  }
}

/** The port every channel implements: one file per channel in this folder (docs/architecture.md "House habits"). */
export interface Notifier {
  readonly name: string;
  send(message: OutgoingMessage): Promise<SendResult>;
  /**
   * For a send whose outcome is unknown: the provider's record of this message made since
   * `since`, or null if it has none. Throws a NotifierError when the provider cannot tell.
   */
  lookup?(message: OutgoingMessage, since: number): Promise<SendResult | null>;
}

/** The notifier of each channel; without a webhook configured, webhook steps page no one. */
export interface Notifiers {
  console: Notifier;
  sms: Notifier;
  voice: Notifier;
  webhook: Notifier | undefined;
}
