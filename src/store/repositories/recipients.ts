import { z } from 'zod';
import { CONTACT_CHANNELS, responderKindSchema } from '../../domain/registry.ts';
import { type Checked, checked, checkedJson, mapEach } from '../row-check.ts';
import type { ContactTable, ResponderTable } from '../schema.ts';
import type { Tx } from './alarms.ts';

const channelsSchema = z.array(z.enum(CONTACT_CHANNELS));

export interface StaffPhone {
  userId: string;
  phone: string;
}

export interface ContactToPage {
  id: string;
  phone: string;
  language: string;
  channels: (typeof CONTACT_CHANNELS)[number][];
}

export interface ResponderToPage {
  id: string;
  kind: z.infer<typeof responderKindSchema>;
  stateCode: string;
  municipality: string | null;
  escalationOrder: number;
  phone: string;
  language: string;
}

export const toContactToPage = (r: Pick<ContactTable, 'id' | 'phone' | 'language' | 'channels'>): ContactToPage => ({
  id: r.id,
  phone: r.phone,
  language: r.language,
  channels: checkedJson('contacts', r.id, 'channels', channelsSchema, r.channels) ?? [],
});

export const toResponderToPage = (r: ResponderTable): ResponderToPage => ({
  id: r.id,
  kind: checked('responders', r.id, 'kind', responderKindSchema, r.kind),
  stateCode: r.state_code,
  municipality: r.municipality,
  escalationOrder: r.escalation_order,
  phone: r.phone,
  language: r.language,
});

/**
 * Who an escalation step can page, read inside the step's transaction. Reads of contacts are
 * personal data: the caller appends the audit entry in the same transaction (P6).
 */
export class RecipientDirectory {
  /** Enabled staff of a role who have a phone. */
  async staffPhones(tx: Tx, role: 'operator' | 'supervisor'): Promise<StaffPhone[]> {
    const rows = await tx
      .selectFrom('users')
      .select(['id', 'phone'])
      .where('role', '=', role)
      .where('disabled_at', 'is', null)
      .where('phone', 'is not', null)
      .orderBy('id')
      .execute();
    return rows.map((r) => ({ userId: r.id, phone: r.phone as string }));
  }

  /** A person's contacts by priority; one with unreadable channels is set aside, not the others. */
  async contactsOf(tx: Tx, beneficiaryId: string): Promise<Checked<ContactToPage>> {
    const rows = await tx
      .selectFrom('contacts')
      .select(['id', 'phone', 'language', 'channels'])
      .where('beneficiary_id', '=', beneficiaryId)
      .orderBy('priority')
      .orderBy('id')
      .execute();
    return mapEach(rows, toContactToPage);
  }

  /** The responders of a state (the dispatch rules choose among them); an unreadable one is set aside, never paged. */
  async respondersIn(tx: Tx, stateCode: string): Promise<Checked<ResponderToPage>> {
    const rows = await tx.selectFrom('responders').selectAll().where('state_code', '=', stateCode).execute();
    return mapEach(rows, toResponderToPage);
  }
}
