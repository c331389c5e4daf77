export { loadConfig } from './load.ts';
export { type Config, type Env, envSchema, toConfig } from './schema.ts';
