import type Twilio from 'twilio';

let loaded: Promise<typeof Twilio.twiml> | undefined;

/**
 * Twilio's TwiML builders, loaded on first use. The `twilio` package takes about a quarter of a
 * second to load, and only a centre with Twilio configured ever answers its webhooks: the rest
 * start without it (bench/RESULTS.md, start-up).
 */
export function twiml(): Promise<typeof Twilio.twiml> {
  loaded ??= import('twilio').then((m) => m.default.twiml);
  return loaded;
}
