// What "Despachar" did, in the operator's words (issue 14 §6): who was paged, or plainly that
// nobody was and why — never "the authority is being told" when no one is.
import { t } from '../i18n.js';

/**
 * @param {{ paged: { responderId: string }[], reason: string | null } | undefined} outcome
 * @param {{ responders?: { id: string, name: string }[] } | null | undefined} context
 */
export function dispatchText(outcome, context) {
  if (!outcome) return t('done.dispatch');
  if (outcome.paged.length > 0) {
    const byId = new Map((context?.responders ?? []).map((r) => [r.id, r.name]));
    return t('done.dispatchPaged', { names: outcome.paged.map((p) => byId.get(p.responderId) ?? p.responderId).join(', ') });
  }
  if (outcome.reason === 'responder_paged_earlier') return t('done.dispatchEarlier');
  const key = `reason.${outcome.reason}`;
  const reason = t(key);
  return t('done.dispatchNobody', { reason: reason === key ? String(outcome.reason) : reason });
}
