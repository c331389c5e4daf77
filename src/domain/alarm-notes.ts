import { z } from 'zod';
import { ALARM_OUTCOMES } from './alarm.ts';
import { stateCodeSchema } from './mexico.ts';

/** How a call an operator made while handling an alarm went. */
export const CALL_OUTCOMES = ['reached', 'no_answer', 'busy', 'voicemail', 'wrong_number'] as const;
export const callOutcomeSchema = z.enum(CALL_OUTCOMES);
export type CallOutcome = z.infer<typeof callOutcomeSchema>;

/** A number as dialled: E.164 or a short local number (911, a switchboard), digits only. */
export const dialledNumberSchema = z
  .string()
  .trim()
  .regex(/^\+?\d{3,15}$/, 'expected the number dialled: digits, optionally starting with +, e.g. +522281234567 or 911');

export const alarmNoteCreateSchema = z.object({ text: z.string().trim().min(1).max(2000) });
export type AlarmNoteCreate = z.infer<typeof alarmNoteCreateSchema>;

export const alarmCallCreateSchema = z.object({
  /** Whom the operator called: a contact's or responder's name, or whoever answered. */
  callee: z.string().trim().min(1).max(200),
  phone: dialledNumberSchema,
  outcome: callOutcomeSchema,
  text: z.string().trim().max(2000).optional(),
});
export type AlarmCallCreate = z.infer<typeof alarmCallCreateSchema>;

export const alarmNoteSchema = z.object({
  id: z.string(),
  alarmId: z.string(),
  at: z.string(),
  authorId: z.string(),
  kind: z.enum(['note', 'call']),
  text: z.string().nullable(),
  callee: z.string().nullable(),
  phone: z.string().nullable(),
  outcome: callOutcomeSchema.nullable(),
});
export type AlarmNote = z.infer<typeof alarmNoteSchema>;

/** A registered address of a person; coordinates when the registry knows them. */
export const addressSchema = z.object({
  id: z.string(),
  beneficiaryId: z.string(),
  label: z.string(),
  line: z.string(),
  municipality: z.string().nullable(),
  stateCode: z.string(),
  lat: z.number().nullable(),
  lon: z.number().nullable(),
});
export type Address = z.infer<typeof addressSchema>;

export const addressCreateSchema = z.object({
  id: z.string().min(1).max(64).optional(),
  beneficiaryId: z.string().min(1).max(64),
  label: z.string().trim().min(1).max(80),
  line: z.string().trim().min(1).max(300),
  municipality: z.string().trim().min(1).max(120).optional(),
  stateCode: stateCodeSchema,
  lat: z.number().min(14).max(33).optional(),
  lon: z.number().min(-119).max(-86).optional(),
});
export type AddressCreate = z.infer<typeof addressCreateSchema>;

/** Alarm history search: every filter optional, bound as parameters in src/store. */
export const alarmSearchSchema = z.object({
  alias: z.string().trim().min(1).max(80).optional(),
  deviceId: z.string().trim().min(1).max(64).optional(),
  kind: z.string().trim().min(1).max(40).optional(),
  outcome: z.enum(ALARM_OUTCOMES).optional(),
  test: z.enum(['real', 'test']).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
});
export type AlarmSearch = z.infer<typeof alarmSearchSchema>;

export const alarmHistoryItemSchema = z.object({
  id: z.string(),
  deviceId: z.string(),
  alias: z.string().nullable(),
  kind: z.string(),
  severity: z.string(),
  state: z.string(),
  test: z.boolean(),
  receivedAt: z.string(),
  acknowledgedAt: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  outcome: z.string().nullable(),
});
export type AlarmHistoryItem = z.infer<typeof alarmHistoryItemSchema>;
