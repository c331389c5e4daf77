// Issue 14 §8: by default the timeline shows what a person did or received — an operator's
// action, a message to a contact, a responder paged or skipped, a severity raised — and the
// engine's own steps are one click away. People are named with their role, never by usr_ id.
import { label, t } from '../i18n.js';

/** Entries that always matter to the person reading the alarm. */
const PERSON_KINDS = new Set([
  'escalation_started',
  'press_joined',
  'acknowledged',
  'dispatched',
  'on_scene',
  'resolved',
  'responder_skipped',
  'responder_chosen',
  'no_safe_responder',
  'dispatch_paged_nobody',
  'severity_raised',
  'call_answered',
  'fallback_to_voice',
  'late_acknowledgement',
  'case_review_opened',
  'case_review_assigned',
  'case_review_closed',
  'task_opened',
  // Issue 18: the alarm exists because a person did not check in.
  'check_in_missed',
]);

/**
 * Whether an entry is about a person (shown by default) or an engine detail. A delivery attempt
 * counts when it went to someone outside the console; a missing recipient counts once per target.
 * @param {{ kind: string, detail: Record<string, any> | null }} e
 * @param {Map<string, any>} notificationsById
 * @param {Set<string>} seen keys of the "no recipient" entries already shown
 */
export function isPersonEntry(e, notificationsById, seen) {
  if (PERSON_KINDS.has(e.kind)) return true;
  const d = e.detail ?? {};
  if (e.kind === 'notification_attempt') {
    const n = notificationsById.get(d.notificationId);
    return n ? n.channel !== 'console' : d.channel !== 'console';
  }
  if (e.kind === 'no_recipient') {
    const key = `${d.target}|${d.reason}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  }
  return false;
}

/**
 * "Ana López (operador/a)" for a user id, "Centinela" for the engine, "you" for oneself.
 * @param {string} actor
 * @param {{ id: string, name: string, role: string }[] | undefined} people
 * @param {string} me
 */
export function actorLabel(actor, people, me) {
  if (actor === me) return t('timeline.you');
  if (actor.startsWith('system:') || actor.startsWith('engine')) return t('timeline.system');
  const p = (people ?? []).find((x) => x.id === actor);
  return p ? t('timeline.person', { name: p.name, role: label('role', p.role) }) : actor;
}

/** Whether the engine details are shown; kept across repaints while the console stays open. */
let showEngine = false;
export const engineShown = () => showEngine;
export const toggleEngine = () => {
  showEngine = !showEngine;
};
