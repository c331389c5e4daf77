import { z } from 'zod';
import { stateCodeSchema } from './mexico.ts';

/** Identifiers chosen by people (device serials, catalogue ids): safe in topics and URLs. */
export const idSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{1,63}$/, 'expected 2–64 letters, digits, ".", "_" or "-", starting with a letter or digit');

export const e164Schema = z.string().regex(/^\+[1-9]\d{7,14}$/, 'expected a phone number in E.164 form, e.g. +522281234567');
export const languageSchema = z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/, 'expected a language tag such as es, en or nah');
const isoDate = z.iso.datetime({ offset: true, error: 'expected an ISO-8601 date-time, e.g. 2026-01-31T12:00:00Z' });

// ---- Device models (catalogue) -------------------------------------------------------------

export const DEVICE_KINDS = ['panic_button', 'camera', 'satellite_phone'] as const;
export const deviceKindSchema = z.enum(DEVICE_KINDS);
export type DeviceKind = z.infer<typeof deviceKindSchema>;

export const deviceModelSchema = z
  .object({
    id: idSchema,
    kind: deviceKindSchema,
    name: z.string().min(1).max(120),
    monthlyCostMxn: z.number().nonnegative(),
    /** True while the price is a placeholder awaiting the contract's figure. */
    costIsSample: z.boolean().default(false),
    heartbeatIntervalS: z.number().int().positive(),
    offlineAfterS: z.number().int().positive(),
    /** Whether the device can raise an alarm (counts towards a beneficiary's alarm path). */
    alarmCapable: z.boolean(),
    /** How often a technician should run a test alarm. */
    testIntervalDays: z.number().int().positive(),
    notes: z.string().max(500).optional(),
  })
  .refine((m) => m.offlineAfterS > m.heartbeatIntervalS, {
    message: 'offlineAfterS must be longer than heartbeatIntervalS',
    path: ['offlineAfterS'],
  });
export type DeviceModel = z.infer<typeof deviceModelSchema>;

// ---- Devices -------------------------------------------------------------------------------

export const deviceCreateSchema = z.object({
  id: idSchema,
  modelId: idSchema,
  beneficiaryId: idSchema.nullish(),
  stateCode: stateCodeSchema,
  requestedAt: isoDate.nullish(),
  installedAt: isoDate.nullish(),
  retiredAt: isoDate.nullish(),
  /** Per-device overrides of the model's supervision window. */
  heartbeatIntervalS: z.number().int().positive().nullish(),
  offlineAfterS: z.number().int().positive().nullish(),
});
export type DeviceCreate = z.infer<typeof deviceCreateSchema>;
export const deviceUpdateSchema = deviceCreateSchema.omit({ id: true }).partial();
export type DeviceUpdate = z.infer<typeof deviceUpdateSchema>;

export const deviceSchema = z.object({
  id: z.string(),
  modelId: z.string(),
  beneficiaryId: z.string().nullable(),
  stateCode: z.string(),
  requestedAt: z.string().nullable(),
  installedAt: z.string().nullable(),
  retiredAt: z.string().nullable(),
  heartbeatIntervalS: z.number().nullable(),
  offlineAfterS: z.number().nullable(),
  onTestUntil: z.string().nullable(),
  createdAt: z.string(),
});
export type Device = z.infer<typeof deviceSchema>;
/** P6: what a technician may see of a device — nothing that leads to the person. */
export const technicianDeviceSchema = deviceSchema.omit({ beneficiaryId: true });

// ---- Beneficiaries -------------------------------------------------------------------------

export const BENEFICIARY_KINDS = ['defender', 'journalist', 'organisation'] as const;
export const RISK_LEVELS = ['ordinary', 'high', 'extraordinary'] as const;
export const RESPONDER_KINDS = ['municipal_police', 'state_police', 'federal_force', 'mechanism_rapid_reaction', 'other'] as const;
export const responderKindSchema = z.enum(RESPONDER_KINDS);

/** A presumed aggressor: a specific responder, an authority by kind and jurisdiction, or other. */
export const aggressorSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('responder'), responderId: idSchema }),
  z.object({
    type: z.literal('authority'),
    responderKind: responderKindSchema,
    stateCode: stateCodeSchema,
    /** Absent means the whole state's body of that kind. */
    municipality: z.string().min(1).max(120).optional(),
  }),
  z.object({ type: z.literal('non_state'), description: z.string().max(200).optional() }),
  z.object({ type: z.literal('unknown') }),
]);
export type Aggressor = z.infer<typeof aggressorSchema>;

export const beneficiaryCreateSchema = z.object({
  id: idSchema.optional(),
  alias: z.string().min(1).max(80),
  fullName: z.string().min(1).max(200),
  kind: z.enum(BENEFICIARY_KINDS),
  stateCode: stateCodeSchema,
  municipality: z.string().min(1).max(120).optional(),
  riskLevel: z.enum(RISK_LEVELS),
  language: languageSchema.default('es'),
  presumedAggressors: z.array(aggressorSchema).max(20).default([]),
});
export type BeneficiaryCreate = z.infer<typeof beneficiaryCreateSchema>;
export const beneficiaryUpdateSchema = beneficiaryCreateSchema.omit({ id: true }).partial();
export type BeneficiaryUpdate = z.infer<typeof beneficiaryUpdateSchema>;
export const beneficiarySchema = z.object({
  id: z.string(),
  alias: z.string(),
  fullName: z.string(),
  kind: z.enum(BENEFICIARY_KINDS),
  stateCode: z.string(),
  municipality: z.string().nullable(),
  riskLevel: z.enum(RISK_LEVELS),
  language: z.string(),
  presumedAggressors: z.array(aggressorSchema),
  createdAt: z.string(),
});
export type Beneficiary = z.infer<typeof beneficiarySchema>;

// ---- Contacts ------------------------------------------------------------------------------

export const CONTACT_CHANNELS = ['sms', 'voice'] as const;
export const contactCreateSchema = z.object({
  id: idSchema.optional(),
  beneficiaryId: idSchema,
  name: z.string().min(1).max(200),
  phone: e164Schema,
  relation: z.string().min(1).max(80),
  language: languageSchema.default('es'),
  channels: z.array(z.enum(CONTACT_CHANNELS)).min(1).default(['sms', 'voice']),
  priority: z.number().int().min(0).default(0),
});
export type ContactCreate = z.infer<typeof contactCreateSchema>;
export const contactUpdateSchema = contactCreateSchema.omit({ id: true, beneficiaryId: true }).partial();
export type ContactUpdate = z.infer<typeof contactUpdateSchema>;
export const contactSchema = z.object({
  id: z.string(),
  beneficiaryId: z.string(),
  name: z.string(),
  phone: z.string(),
  relation: z.string(),
  language: z.string(),
  channels: z.array(z.enum(CONTACT_CHANNELS)),
  priority: z.number(),
  createdAt: z.string(),
});
export type Contact = z.infer<typeof contactSchema>;

// ---- Responders ----------------------------------------------------------------------------

export const responderCreateSchema = z.object({
  id: idSchema.optional(),
  name: z.string().min(1).max(200),
  kind: responderKindSchema,
  stateCode: stateCodeSchema,
  /** Absent: the responder covers the whole state. */
  municipality: z.string().min(1).max(120).optional(),
  phone: e164Schema,
  escalationOrder: z.number().int().min(0),
  language: languageSchema.default('es'),
});
export type ResponderCreate = z.infer<typeof responderCreateSchema>;
export const responderUpdateSchema = responderCreateSchema.omit({ id: true }).partial();
export type ResponderUpdate = z.infer<typeof responderUpdateSchema>;
export const responderSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: responderKindSchema,
  stateCode: z.string(),
  municipality: z.string().nullable(),
  phone: z.string(),
  escalationOrder: z.number(),
  language: z.string(),
  createdAt: z.string(),
});
export type Responder = z.infer<typeof responderSchema>;

/** A state code filter in a query string. */
export const stateCodeQuery = stateCodeSchema.optional();
