import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient.js';
import { NotifierError } from './port.ts';

export interface TwilioSettings {
  accountSid: string;
  authToken: string;
  from: string;
  /** Set only to point the real client at a local recorder (docs/dependencies.md "Twilio without the internet"). */
  apiBase: string | undefined;
}

/** The real client's requests, sent to another base URL: everything else is what Twilio would see. */
class RebasedRequestClient extends twilio.RequestClient {
  constructor(private readonly base: string) {
    super({ timeout: 10_000 });
  }
  override request<T>(opts: RequestClient.RequestOptions<T>) {
    const uri = new URL(opts.uri);
    const base = new URL(this.base);
    uri.protocol = base.protocol;
    uri.host = base.host;
    return super.request<T>({ ...opts, uri: uri.toString() });
  }
}

export type TwilioClient = ReturnType<typeof twilio>;

export function createTwilioClient(settings: TwilioSettings): TwilioClient {
  // Retries are ours (durable, on the outbox), not the client's in-memory ones.
  const client = twilio(settings.accountSid, settings.authToken, {
    autoRetry: false,
    ...(settings.apiBase ? { httpClient: new RebasedRequestClient(settings.apiBase) } : {}),
  });
  // The client loads its API modules lazily; loading them now keeps that second off the first alarm.
  void client.messages;
  void client.calls;
  return client;
}

/** A provider record made since `since`, allowing for a few seconds between our clock and Twilio's. */
export const madeSince = (created: Date | null | undefined, since: number): boolean =>
  created instanceof Date && created.getTime() >= since - CLOCK_SLACK_MS;
const CLOCK_SLACK_MS = 5_000;

/** Maps a Twilio client failure to our port's error: 429 and 5xx may succeed later. */
export function toNotifierError(err: unknown): NotifierError {
  const status = (err as { status?: unknown }).status;
  if (typeof status === 'number') {
    const code = (err as { code?: unknown }).code;
    return new NotifierError(`twilio answered ${status}${code ? ` (code ${String(code)})` : ''}`, status === 429 || status >= 500, status);
  }
  // No HTTP answer at all (connection refused, timeout): the provider may come back. Only a
  // refused connection proves the request never arrived; anything else leaves it in doubt.
  const code = (err as { code?: unknown }).code;
  return new NotifierError(`twilio unreachable: ${(err as Error).message}`, true, null, code !== 'ECONNREFUSED');
}
