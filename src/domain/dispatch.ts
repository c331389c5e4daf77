import type { Aggressor, Responder } from './registry.ts';

export interface Jurisdiction {
  stateCode: string;
  municipality: string | null;
}

export interface SkippedResponder {
  responderId: string;
  reason: string;
}

type ResponderLike = Pick<Responder, 'id' | 'kind' | 'stateCode' | 'municipality' | 'escalationOrder'>;

/** Why a responder matches one of the case's presumed aggressors, or undefined when it does not. */
export function aggressorMatch(r: ResponderLike, aggressors: Aggressor[]): string | undefined {
  for (const a of aggressors) {
    if (a.type === 'responder' && a.responderId === r.id) return 'named as a presumed aggressor';
    if (a.type === 'authority' && a.responderKind === r.kind && a.stateCode === r.stateCode) {
      // An authority without a municipality is the whole state's body of that kind.
      if (a.municipality === undefined) return `presumed aggressor: ${a.responderKind} of ${a.stateCode}`;
      if (a.municipality === r.municipality) return `presumed aggressor: ${a.responderKind} of ${a.municipality}, ${a.stateCode}`;
    }
  }
  return undefined;
}

/**
 * P4: never send the aggressor. Responders of the beneficiary's municipality come first, then
 * those covering the whole state, each group in escalation order; any that matches a presumed
 * aggressor is skipped with its reason, so the operator sees why.
 */
export function chooseResponders<R extends ResponderLike>(
  responders: R[],
  where: Jurisdiction,
  aggressors: Aggressor[],
): { safe: R[]; skipped: SkippedResponder[] } {
  const inState = responders.filter((r) => r.stateCode === where.stateCode);
  const local = inState.filter((r) => where.municipality !== null && r.municipality === where.municipality);
  const statewide = inState.filter((r) => r.municipality === null);
  const byOrder = (a: R, b: R) => a.escalationOrder - b.escalationOrder || a.id.localeCompare(b.id);
  const candidates = [...local.sort(byOrder), ...statewide.sort(byOrder)];
  const safe: R[] = [];
  const skipped: SkippedResponder[] = [];
  for (const r of candidates) {
    const reason = aggressorMatch(r, aggressors);
    if (reason) skipped.push({ responderId: r.id, reason });
    else safe.push(r);
  }
  return { safe, skipped };
}
