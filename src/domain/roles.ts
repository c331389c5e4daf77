import { z } from 'zod';

export const ROLES = ['operator', 'supervisor', 'technician', 'analyst', 'admin'] as const;
export const roleSchema = z.enum(ROLES);
export type Role = z.infer<typeof roleSchema>;

/** Roles that answer alarms and so may see a beneficiary's personal data in that context. */
export const ALARM_HANDLERS = ['operator', 'supervisor'] as const satisfies readonly Role[];
/** Roles allowed to read people's records (P6: technicians see devices, analysts aggregates). */
export const PERSONAL_DATA_READERS = ['operator', 'supervisor', 'admin'] as const satisfies readonly Role[];
