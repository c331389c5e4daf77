import { z } from 'zod';
import { addressSchema } from '../../../domain/alarm-notes.ts';
import { aggressorMatch } from '../../../domain/dispatch.ts';
import type { Aggressor } from '../../../domain/registry.ts';
import { toIso } from '../../../store/index.ts';
import { ACCESS } from '../../access-policy.ts';
import { actorOf } from '../../auth.ts';
import type { RouteModule } from '../../deps.ts';

const params = z.object({ id: z.string().min(1).max(64) });
const loc = z.object({ lat: z.number(), lon: z.number(), acc: z.number().optional() });
const context = z.object({
  alarmId: z.string(),
  /** The latest fix the device sent during the alarm (a repeat press may carry a newer one than the first's). */
  loc: loc.nullable(),
  /** When that fix was received (ISO 8601), null without one. */
  locAt: z.string().nullable(),
  note: z.string().nullable(),
  beneficiary: z
    .object({
      alias: z.string(),
      kind: z.string(),
      riskLevel: z.string(),
      stateCode: z.string(),
      municipality: z.string().nullable(),
      presumedAggressors: z.array(z.record(z.string(), z.unknown())),
    })
    .nullable(),
  contacts: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      phone: z.string(),
      relation: z.string(),
      priority: z.number(),
      channels: z.array(z.string()),
    }),
  ),
  responders: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      kind: z.string(),
      municipality: z.string().nullable(),
      phone: z.string(),
      /** Why this responder must not be called (P4), or null. */
      aggressor: z.string().nullable(),
    }),
  ),
  /** Registered addresses, for the map when the device sends no fix. */
  addresses: z.array(addressSchema),
  /** Issue 14 §8: the staff who may appear on the timeline, by name and role (never a bare usr_ id). */
  people: z.array(z.object({ id: z.string(), name: z.string(), role: z.string() })),
});

/**
 * GET /api/console/alarms/:id/context: what an operator needs beside the alarm itself — the
 * alias (not the full name: the screen is seen across an operations room), the contacts, the
 * location, the presumed aggressors and the responders of the jurisdiction, in one audited read.
 * The alarm view of src/alerts carries no location, so the console reads it here.
 */
export const alarmContextRoutes: RouteModule = (app, deps) => {
  app.get(
    '/api/console/alarms/:id/context',
    { config: { access: ACCESS.alarmHandlers }, schema: { tags: ['console'], params, response: { 200: context } } },
    async (req) => {
      const actor = actorOf(req);
      const alarm = await deps.repos.alarms.require(req.params.id);
      // Staff names and roles only: no phone, nothing about the protected person.
      const people = (await deps.repos.users.list()).map((u) => ({ id: u.id, name: u.name, role: u.role }));
      const fix = await deps.repos.alarms.latestFix(alarm);
      const base = { alarmId: alarm.id, loc: fix?.loc ?? null, locAt: fix ? toIso(fix.at) : null, note: alarm.note, people };
      if (!alarm.beneficiaryId) return { ...base, beneficiary: null, contacts: [], responders: [], addresses: [] };
      // Each repository read below is written to the audit chain (P6).
      // Issue 15: the audit entry says why the person was read: this alarm.
      const purpose = `alarm:${alarm.id}`;
      const b = await deps.repos.beneficiaries.get(actor, alarm.beneficiaryId, purpose);
      const contacts = await deps.repos.contacts.list(actor, b.id, purpose);
      const responders = await deps.repos.responders.list({ stateCode: b.stateCode });
      const addresses = await deps.repos.addresses.list(actor, b.id);
      return {
        ...base,
        beneficiary: {
          alias: b.alias,
          kind: b.kind,
          riskLevel: b.riskLevel,
          stateCode: b.stateCode,
          municipality: b.municipality,
          presumedAggressors: b.presumedAggressors as (Aggressor & Record<string, unknown>)[],
        },
        contacts: contacts
          .sort((x, y) => x.priority - y.priority)
          .map((c) => ({ id: c.id, name: c.name, phone: c.phone, relation: c.relation, priority: c.priority, channels: c.channels })),
        responders: responders.map((r) => ({
          id: r.id,
          name: r.name,
          kind: r.kind,
          municipality: r.municipality,
          phone: r.phone,
          aggressor: aggressorMatch(r, b.presumedAggressors) ?? null,
        })),
        addresses,
      };
    },
  );
};
