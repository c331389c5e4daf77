import { ALARM_HANDLERS, PERSONAL_DATA_READERS, ROLES, type Role } from '../domain/roles.ts';

/**
 * Who may do what, in one place (P6, least privilege; docs/architecture.md). Every route names
 * one of these rules in `config.access`; src/api/auth.ts refuses to start an app whose route
 * declares a set of roles that is not listed here, so a new rule is added here, deliberately,
 * and test/api-roles.test.ts walks every route with every role against it.
 */
export const ACCESS = {
  /** Health probes, the console's login page and assets, Twilio's signed callbacks. */
  public: 'public',
  /** Any signed-in staff member: the catalogue of models, one's own account, the live stream. */
  staff: ROLES,
  /** Devices, their health and telemetry. Analysts work from aggregates only. */
  deviceReaders: ['operator', 'supervisor', 'technician', 'admin'],
  /** Provisioning, maintenance windows and on-test: the people who fix devices. */
  deviceWorkers: ['technician', 'admin'],
  /**
   * Issue 15: taking a device out of protection (on test, maintenance) and seeing who did: the
   * people who fix devices, and supervisors, who alone may go beyond the limits.
   */
  serviceWindows: ['technician', 'admin', 'supervisor'],
  /** People's records: beneficiaries, their contacts, responders. Technicians and analysts never. */
  personalData: PERSONAL_DATA_READERS,
  /** Alarms, and a beneficiary's details in the context of an alarm. */
  alarmHandlers: ALARM_HANDLERS,
  /** Case reviews are read by those who answer alarms and administer the registry… */
  caseReviewReaders: ['operator', 'supervisor', 'admin'],
  /** …and decided by supervisors. */
  supervisors: ['supervisor'],
  /** Reliability and cost reports; analysts get small groups suppressed (seesSmallGroups). */
  reportReaders: ['analyst', 'supervisor', 'admin'],
  /** The scheduled jobs and their last runs. */
  jobReaders: ['supervisor', 'admin'],
  /** Gateway accounts are read by technicians too (which devices a gateway carries). */
  gatewayReaders: ['technician', 'admin'],
  /** The registry's writes, users, tokens and the audit log. */
  admin: ['admin'],
} as const satisfies Record<string, readonly Role[] | 'public'>;

/** P6: technicians see devices, not people — neither the link to a beneficiary… */
export const seesPeopleLinks = (role: Role): boolean => role !== 'technician';
/** …nor where a device (and so a person) is. */
export const seesLocations = (role: Role): boolean => role !== 'technician';
/** P6: analysts see aggregates with groups of fewer than 5 beneficiaries suppressed. */
export const seesSmallGroups = (role: Role): boolean => role !== 'analyst';

const sameRoles = (a: readonly Role[], b: readonly Role[]): boolean => a.length === b.length && a.every((r) => b.includes(r));

/** Whether a route's declared access is one of the rules above (the same roles, in any order). */
export function isDeclaredRule(access: readonly Role[] | 'public'): boolean {
  return Object.values(ACCESS).some((rule) => (rule === 'public' || access === 'public' ? rule === access : sameRoles(rule, access)));
}
