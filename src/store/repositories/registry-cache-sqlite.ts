import type SQLite from 'better-sqlite3';
import { type Checked, mapEach } from '../row-check.ts';
import type { CasePlanStepTable } from '../schema-plans.ts';
import { SqliteRegistryWatch } from '../sqlite-registry-watch.ts';
import { type CasePlanStep, toCaseStep } from './action-plans.ts';
import { type AlarmSubject, type SubjectRow, subjectOf } from './alarms.ts';
import { type ContactToPage, type ResponderToPage, type StaffPhone, toContactToPage, toResponderToPage } from './recipients.ts';

/** Entries per list before it is emptied: a registry far larger than a centre's stays bounded. */
const MAX_ENTRIES = 10_000;

/**
 * What an alarm's opening reads and an administrator rarely changes — staff phones, a person's
 * contacts and case plan steps, who they are, a state's responders — kept in memory on SQLite
 * and read with statements prepared once. Everything is dropped as soon as any of those tables
 * may have changed (src/store/sqlite-registry-watch.ts), so the next alarm reads them afresh.
 * The same queries and row checks as the portable path (src/store/repositories/recipients.ts).
 * PostgreSQL has no such cache: several nodes may write the registry there.
 */
export class SqliteRegistryCache {
  private readonly watch: SqliteRegistryWatch;
  private readonly staff = new Map<string, StaffPhone[]>();
  private readonly contacts = new Map<string, Checked<ContactToPage>>();
  private readonly responders = new Map<string, Checked<ResponderToPage>>();
  private readonly subjects = new Map<string, AlarmSubject | null>();
  private readonly caseSteps = new Map<string, CasePlanStep[]>();
  private readonly q: Record<'staff' | 'contacts' | 'responders' | 'subject' | 'caseSteps', SQLite.Statement>;

  constructor(db: SQLite.Database) {
    this.watch = new SqliteRegistryWatch(db);
    this.q = {
      staff: db.prepare('select id, phone from users where role = ? and disabled_at is null and phone is not null order by id'),
      contacts: db.prepare('select id, phone, language, channels from contacts where beneficiary_id = ? order by priority, id'),
      responders: db.prepare('select * from responders where state_code = ?'),
      subject: db.prepare('select alias, state_code, municipality, presumed_aggressors from beneficiaries where id = ?'),
      caseSteps: db.prepare('select * from case_plan_steps where beneficiary_id = ? order by created_at, id'),
    };
  }

  /** Drops everything if the registry may have changed; call once per piece of work, before reading. */
  refresh(): void {
    if (!this.watch.changed()) return;
    for (const m of [this.staff, this.contacts, this.responders, this.subjects, this.caseSteps]) m.clear();
  }

  staffPhones(role: 'operator' | 'supervisor'): StaffPhone[] {
    return cached(this.staff, role, () =>
      (this.q.staff.all(role) as { id: string; phone: string }[]).map((r) => ({ userId: r.id, phone: r.phone })),
    );
  }

  contactsOf(beneficiaryId: string): Checked<ContactToPage> {
    return cached(this.contacts, beneficiaryId, () =>
      mapEach(this.q.contacts.all(beneficiaryId) as Parameters<typeof toContactToPage>[0][], toContactToPage),
    );
  }

  respondersIn(stateCode: string): Checked<ResponderToPage> {
    return cached(this.responders, stateCode, () =>
      mapEach(this.q.responders.all(stateCode) as Parameters<typeof toResponderToPage>[0][], toResponderToPage),
    );
  }

  subject(beneficiaryId: string): AlarmSubject | undefined {
    return (
      cached(this.subjects, beneficiaryId, () => {
        const row = this.q.subject.get(beneficiaryId) as SubjectRow | undefined;
        return row ? subjectOf(row) : null;
      }) ?? undefined
    );
  }

  caseStepsOf(beneficiaryId: string): CasePlanStep[] {
    return cached(this.caseSteps, beneficiaryId, () => (this.q.caseSteps.all(beneficiaryId) as CasePlanStepTable[]).map(toCaseStep));
  }
}

function cached<T>(map: Map<string, T>, key: string, read: () => T): T {
  if (map.has(key)) return map.get(key) as T;
  const value = read();
  if (map.size >= MAX_ENTRIES) map.clear();
  map.set(key, value);
  return value;
}
