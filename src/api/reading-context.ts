import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { CentinelaError } from '../domain/errors.ts';
import { idSchema } from '../domain/registry.ts';
import { roleOf } from './auth.ts';
import type { ApiDeps } from './deps.ts';

/** The query by which an operator says why they read a person's record (issue 15). */
export const readingContextQuery = {
  alarmId: idSchema.optional().describe('Operators: the open alarm or task of this person being handled'),
  reason: z.string().trim().min(10).max(200).optional().describe('Operators: why the record is read without an alarm (audited)'),
};

export interface ReadingContext {
  /** Written into the audit entry of the read. */
  purpose: string | undefined;
  /** When the read is in the context of an alarm: the person it is about. */
  beneficiaryId: string | undefined;
}

/**
 * P6, issue 15: operators read a person's record in the context of an alarm or task they are
 * handling (`?alarmId=`, an alarm of that person not yet resolved), or with a stated reason
 * (`?reason=`), which goes into the audit entry. Supervisors and admins read as before; their
 * reads are audited too.
 */
export async function readingContext(
  deps: ApiDeps,
  req: FastifyRequest,
  query: { alarmId?: string | undefined; reason?: string | undefined },
  beneficiaryId?: string,
): Promise<ReadingContext> {
  if (query.alarmId) {
    const alarm = await deps.repos.alarms.get(query.alarmId);
    const forPerson = alarm?.beneficiaryId ?? undefined;
    if (!alarm || alarm.state === 'resolved' || !forPerson || (beneficiaryId !== undefined && forPerson !== beneficiaryId))
      throw new CentinelaError(
        'CENTINELA_ERR_AUTH_FORBIDDEN',
        `alarm ${JSON.stringify(query.alarmId)} is not an open alarm or task of this person`,
        { field: 'alarmId' },
      );
    return { purpose: `alarm:${alarm.id}`, beneficiaryId: forPerson };
  }
  if (query.reason) return { purpose: `reason: ${query.reason}`, beneficiaryId: undefined };
  if (roleOf(req) === 'operator')
    throw new CentinelaError(
      'CENTINELA_ERR_VALIDATION',
      "operators read a person's record in the context of an alarm or task (?alarmId=) or with a stated reason (?reason=, audited)",
      { field: 'alarmId' },
    );
  return { purpose: undefined, beneficiaryId: undefined };
}
