import { type Logger, type LoggerOptions, pino } from 'pino';

export type { Logger };

/**
 * P6: secrets and personal data never reach logs. Redaction works on key names, so every
 * field that may carry a token, a secret, a phone number, a person's name or a location is
 * listed here; values are also scrubbed for bearer tokens and E.164 numbers that slip into
 * free-text messages.
 */
const SENSITIVE_KEYS = [
  'authorization',
  'token',
  'password',
  'secret',
  'mqttSecret',
  'secretHash',
  'tokenHash',
  'phone',
  'to',
  'from',
  'To',
  'From',
  'Body',
  'name',
  'alias',
  'fullName',
  'contacts',
  'loc',
  'location',
  'lat',
  'lon',
  'note',
  'cookie',
];

export const REDACT_PATHS = [
  ...SENSITIVE_KEYS,
  ...SENSITIVE_KEYS.map((k) => `*.${k}`),
  ...SENSITIVE_KEYS.map((k) => `*.*.${k}`),
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
];

const PHONE = /\+\d{8,15}/g;
const BEARER = /(Bearer\s+)[\w.~+/-]+=*/gi;
const TOKEN = /\bcnt_[\w-]{16,}/g;

/** Scrubs values that look like credentials or phone numbers out of free text. */
export function scrubText(text: string): string {
  return text.replace(BEARER, '$1[Redacted]').replace(TOKEN, '[Redacted]').replace(PHONE, '[Redacted]');
}

export interface LoggerConfig {
  level: string;
  destination?: pino.DestinationStream;
}

export function createLogger(config: LoggerConfig): Logger {
  const options: LoggerOptions = {
    level: config.level,
    base: { service: 'centinela' },
    redact: { paths: REDACT_PATHS, censor: '[Redacted]' },
    hooks: {
      logMethod(args, method) {
        const scrubbed = args.map((a) => (typeof a === 'string' ? scrubText(a) : a));
        method.apply(this, scrubbed as Parameters<typeof method>);
      },
    },
    formatters: {
      log(object) {
        if (object.err instanceof Error) {
          const err = object.err as Error;
          return {
            ...object,
            err: {
              type: err.name,
              message: scrubText(err.message),
              code: (err as { code?: unknown }).code,
              stack: err.stack ? scrubText(err.stack) : undefined,
            },
          };
        }
        return object;
      },
    },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return config.destination ? pino(options, config.destination) : pino(options);
}
