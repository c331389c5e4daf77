import type { Role } from '../domain/roles.ts';

/**
 * Who is reading or changing data: a person with a role, or a part of Centinela itself
 * (`system:<part>`). Personal-data repositories require one so the audit log is never skipped.
 */
export interface Actor {
  id: string;
  role: Role | 'system';
  requestId?: string | undefined;
}

export const systemActor = (part: string): Actor => ({ id: `system:${part}`, role: 'system' });
