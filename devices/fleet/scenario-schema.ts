import { z } from 'zod';
import { stateCodeSchema } from '../../src/domain/mexico.ts';
import {
  aggressorSchema,
  BENEFICIARY_KINDS,
  CONTACT_CHANNELS,
  e164Schema,
  idSchema,
  languageSchema,
  RISK_LEVELS,
  responderKindSchema,
} from '../../src/domain/registry.ts';
import { locationSchema } from '../../src/domain/wire.ts';
import { SIMULATED_MODELS } from '../simulators/catalogue.ts';
import { TERRAIN_FAILURE, type Terrain } from '../simulators/satellite-phone.ts';
import { crowdSchema } from './crowd.ts';

const positive = z.number().positive();
const terrainSchema = z.enum(Object.keys(TERRAIN_FAILURE) as [Terrain, ...Terrain[]]);

export const scenarioDeviceSchema = z.strictObject({
  id: idSchema,
  model: z.enum(SIMULATED_MODELS),
  /** Where the device usually is; heartbeats and alarms carry a position near it. */
  home: locationSchema.optional(),
  /** Satellite phones: what stands between the phone and the sky. */
  terrain: terrainSchema.optional(),
  /** Satellite phones: overrides the terrain's probability that a check-in fails. */
  checkinFailureProbability: z.number().min(0).max(1).optional(),
  /** The device fails for good after this many simulated seconds (battery run down, power gone). */
  diesAfterS: positive.optional(),
  /** The connection drops now and then (mean interval) for a while. */
  disconnects: z.strictObject({ everyS: positive, forS: positive }).optional(),
  /** Cameras: mean simulated seconds between motion detections (0 = none). */
  motionEveryS: z.number().nonnegative().optional(),
  installedAt: z.iso.datetime({ offset: true }).optional(),
});
export type ScenarioDevice = z.infer<typeof scenarioDeviceSchema>;

export const scenarioContactSchema = z.strictObject({
  id: idSchema.optional(),
  /** An invented name: scenario files never hold real people. */
  name: z.string().min(1).max(200),
  relation: z.string().min(1).max(80),
  phone: e164Schema,
  language: languageSchema.optional(),
  channels: z.array(z.enum(CONTACT_CHANNELS)).min(1).optional(),
});

export const scenarioBeneficiarySchema = z.strictObject({
  id: idSchema,
  /** A pseudonymous alias, never a real name. */
  alias: z.string().min(1).max(80),
  kind: z.enum(BENEFICIARY_KINDS),
  stateCode: stateCodeSchema,
  municipality: z.string().min(1).max(120),
  riskLevel: z.enum(RISK_LEVELS),
  language: languageSchema.optional(),
  presumedAggressors: z.array(aggressorSchema).max(20).default([]),
  contacts: z.array(scenarioContactSchema).default([]),
  devices: z.array(scenarioDeviceSchema).min(1),
});
export type ScenarioBeneficiary = z.infer<typeof scenarioBeneficiarySchema>;

export const scenarioResponderSchema = z.strictObject({
  id: idSchema,
  name: z.string().min(1).max(200),
  kind: responderKindSchema,
  stateCode: stateCodeSchema,
  municipality: z.string().min(1).max(120).optional(),
  phone: e164Schema,
  escalationOrder: z.number().int().min(0),
  language: languageSchema.optional(),
});

export const scenarioSchema = z
  .strictObject({
    name: z.string().min(1).max(120),
    description: z.string().max(2000).optional(),
    seed: z.number().int(),
    /** Simulated seconds per real second. */
    speed: positive.default(1),
    /** Mean simulated seconds between panic presses across the fleet (0 = none). */
    alarmEveryS: z.number().nonnegative().default(240),
    responders: z.array(scenarioResponderSchema).default([]),
    beneficiaries: z.array(scenarioBeneficiarySchema).min(1),
    /** Generated people on top of the written ones (devices/fleet/crowd.ts), for scale. */
    crowd: crowdSchema.optional(),
    /** Adds the remote municipality where both measures fail (devices/history/remote-municipality.ts, issue 19). */
    remoteMunicipality: z.boolean().default(false),
  })
  .superRefine((s, ctx) => {
    const seen = new Map<string, string>();
    const unique = (kind: string, id: string, path: (string | number)[]) => {
      const key = `${kind}:${id}`;
      if (seen.has(key)) ctx.addIssue({ code: 'custom', path, message: `${kind} id ${id} appears twice` });
      seen.set(key, id);
    };
    s.responders.forEach((r, i) => {
      unique('responder', r.id, ['responders', i, 'id']);
    });
    s.beneficiaries.forEach((b, i) => {
      unique('beneficiary', b.id, ['beneficiaries', i, 'id']);
      b.devices.forEach((d, j) => {
        const path = ['beneficiaries', i, 'devices', j];
        unique('device', d.id, [...path, 'id']);
        if (d.model !== 'satellite-phone' && (d.terrain || d.checkinFailureProbability !== undefined))
          ctx.addIssue({ code: 'custom', path: [...path, 'terrain'], message: 'terrain applies to satellite phones only' });
        if (d.model !== 'camera' && d.motionEveryS !== undefined)
          ctx.addIssue({ code: 'custom', path: [...path, 'motionEveryS'], message: 'motionEveryS applies to cameras only' });
      });
      b.presumedAggressors.forEach((a, k) => {
        if (a.type === 'responder' && !s.responders.some((r) => r.id === a.responderId))
          ctx.addIssue({
            code: 'custom',
            path: ['beneficiaries', i, 'presumedAggressors', k, 'responderId'],
            message: `no responder ${a.responderId}`,
          });
      });
    });
  });
export type Scenario = z.infer<typeof scenarioSchema>;
