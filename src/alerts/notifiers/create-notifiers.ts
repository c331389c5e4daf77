import type { StreamHub } from '../stream-hub.ts';
import { ConsoleOutboxNotifier } from './console-outbox.ts';
import { NotConfiguredNotifier } from './not-configured.ts';
import type { Notifiers, OutgoingMessage } from './port.ts';
import { WebhookNotifier } from './webhook.ts';

export interface NotifiersConfig {
  publicUrl: string;
  twilio: { accountSid: string; authToken: string; from: string; apiBase: string | undefined } | undefined;
  webhook: { url: string; secret: string | undefined } | undefined;
}

/** Twilio's side when it is configured: what the inbound routes need. */
export interface TwilioSetup {
  authToken: string;
  /** twilio.validateRequest: checks X-Twilio-Signature against the public URL and form. */
  validateRequest(authToken: string, signature: string, url: string, params: Record<string, string>): boolean;
  TwilioInbound: typeof import('./twilio-inbound.ts').TwilioInbound;
}

/**
 * One notifier per channel. Without Twilio credentials SMS and voice are shown live to operators
 * (who can call or write by hand) and recorded as not sent, with the reason.
 */
export async function createNotifiers(
  config: NotifiersConfig,
  hub: StreamHub,
): Promise<{ notifiers: Notifiers; twilio: TwilioSetup | undefined }> {
  const showOnConsole = (m: OutgoingMessage) =>
    hub.publish({
      event: 'outbox.message',
      data: { notificationId: m.notificationId, alarmId: m.alarmId, channel: m.channel, text: m.body },
      personal: true,
    });
  const consoleOutbox = new ConsoleOutboxNotifier(showOnConsole);
  const notifiers: Notifiers = {
    console: consoleOutbox,
    sms: new NotConfiguredNotifier('sms', showOnConsole),
    voice: new NotConfiguredNotifier('voice', showOnConsole),
    webhook: undefined,
  };
  if (config.webhook) notifiers.webhook = new WebhookNotifier(config.webhook.url, config.webhook.secret);
  const tw = config.twilio;
  if (!tw) return { notifiers, twilio: undefined };
  // Loaded only when configured: the SDK is large, and a centre without it pages through the
  // console outbox. Loading it here, at start, keeps that cost off the first alarm.
  const [{ createTwilioClient }, { TwilioSmsNotifier }, { TwilioVoiceNotifier }, { TwilioInbound }, { default: twilio }] =
    await Promise.all([
      import('./twilio-client.ts'),
      import('./twilio-sms.ts'),
      import('./twilio-voice.ts'),
      import('./twilio-inbound.ts'),
      import('twilio'),
    ]);
  const client = createTwilioClient(tw);
  notifiers.sms = new TwilioSmsNotifier(client, tw.from, config.publicUrl);
  notifiers.voice = new TwilioVoiceNotifier(client, tw.from, config.publicUrl);
  return { notifiers, twilio: { authToken: tw.authToken, validateRequest: twilio.validateRequest, TwilioInbound } };
}
