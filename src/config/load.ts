import { CentinelaError } from '../domain/errors.ts';
import { type Config, envSchema, toConfig } from './schema.ts';

/** Secrets are never echoed back in an error message, only the variable's name. */
const SECRET_VARIABLES = new Set(['TWILIO_AUTH_TOKEN', 'INFLUX_TOKEN', 'DATABASE_URL', 'REDIS_URL', 'CENTINELA_WEBHOOK_SECRET']);

/**
 * Parses the environment into a typed config. Called once, by the composition root — never at
 * import time. A bad value throws one error naming every offending variable and what it expects.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const relevant = Object.fromEntries(
    Object.entries(env).filter(
      ([k, v]) =>
        v !== undefined && v !== '' && (k.startsWith('CENTINELA_') || /^(DATABASE_URL|INFLUX_|MQTT_URL|REDIS_URL|TWILIO_)/.test(k)),
    ),
  );
  const parsed = envSchema.safeParse(relevant);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? 'environment');
      const shown = SECRET_VARIABLES.has(name) || relevant[name] === undefined ? '' : ` (got ${JSON.stringify(relevant[name])})`;
      return `${name}: ${issue.message}${shown}`;
    });
    throw new CentinelaError('CENTINELA_ERR_CONFIG_INVALID', `invalid configuration: ${lines.join('; ')}`, {
      variables: parsed.error.issues.map((i) => String(i.path[0])),
    });
  }
  return toConfig(parsed.data);
}
