import { randomBytes } from 'node:crypto';

/** Short random identifiers with a readable prefix (`ben_3f9a1c0d2e4b`). */
export const newId = (prefix: string): string => `${prefix}_${randomBytes(6).toString('hex')}`;
