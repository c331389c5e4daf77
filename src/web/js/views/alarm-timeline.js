// What the escalation engine did, entry by entry, and how every notification fared. A skipped
// responder is shown loudly with its reason (P4: never send the aggressor).
import { h } from '../dom.js';
import { clockTime, dateTime } from '../format.js';
import { label, t } from '../i18n.js';
import { panel } from './alarm-panels.js';
import { columnHeads } from './column-heads.js';
import { actorLabel, engineShown, isPersonEntry, toggleEngine } from './timeline-filter.js';

/**
 * Names for the ids the engine writes: responders, contacts, and each notification by whom it
 * was for, so "attempt 2" reads as "attempt 2 to Hermana by SMS".
 * @param {any} context
 * @param {any[]} [notifications]
 */
function names(context, notifications = []) {
  /** @type {Map<string, string>} */
  const map = new Map();
  for (const r of context?.responders ?? []) map.set(r.id, r.name);
  for (const c of context?.contacts ?? []) map.set(c.id, c.name);
  for (const p of context?.people ?? []) map.set(p.id, t('timeline.person', { name: p.name, role: label('role', p.role) }));
  for (const n of notifications)
    map.set(n.id, n.recipientId ? (map.get(n.recipientId) ?? label('target', n.target)) : label('target', n.target));
  return map;
}

/**
 * @param {{ seq: number, at: string, kind: string, actor: string, detail: Record<string, any> | null }} e
 * @param {Map<string, string>} who
 */
function describe(e, who) {
  const d = e.detail ?? {};
  const responder = d.responderId ? (who.get(d.responderId) ?? d.responderId) : '';
  const recipient = d.recipientId
    ? (who.get(d.recipientId) ?? d.recipientId)
    : d.notificationId
      ? (who.get(d.notificationId) ?? '')
      : label('target', d.target);
  const vars = {
    policy: d.policy ?? '',
    step: typeof d.step === 'number' ? d.step + 1 : '',
    target: label('target', d.target),
    channel: label('channel', d.channel),
    responder,
    recipient,
    attempt: d.attempt ?? '',
    status: label('nstatus', d.status),
    callee: d.callee ?? '',
    phone: d.phone ?? '',
    callOutcome: label('call', d.callOutcome),
  };
  const key = `tl.${e.kind}`;
  const text = t(key, vars);
  return text === key ? e.kind : text;
}

/**
 * @param {any[]} timeline
 * @param {any} context
 * @param {string} me the logged-in user, named "you" in the timeline
 * @param {any[]} notifications
 */
export function timelinePanel(timeline, context, me, notifications) {
  if (timeline.length === 0) return panel(t('timeline.title'), 'timeline', h('p', { class: 'muted' }, t('timeline.empty')));
  const who = names(context, notifications);
  const byId = new Map(notifications.map((n) => [n.id, n]));
  const seen = new Set();
  // What a person did (a note, a call, a plan step, an action) is shown by default as well.
  const personal = timeline.filter((e) => byPerson(e.actor) || isPersonEntry(e, byId, seen));
  const hidden = timeline.length - personal.length;
  const shown = engineShown() ? timeline : personal;
  const toggle =
    hidden > 0
      ? h(
          'button',
          {
            type: 'button',
            class: 'ghost small',
            id: 'timeline-engine',
            'aria-expanded': String(engineShown()),
            onclick: (/** @type {MouseEvent} */ ev) => {
              toggleEngine();
              const host = /** @type {HTMLElement} */ (ev.currentTarget).closest('#timeline');
              host?.replaceWith(timelinePanel(timeline, context, me, notifications));
            },
          },
          engineShown() ? t('timeline.hideEngine') : t('timeline.showEngine', { count: hidden }),
        )
      : null;
  return panel(
    t('timeline.title'),
    'timeline',
    toggle,
    h(
      'ol',
      { class: 'timeline' },
      shown.map((e) => {
        const d = e.detail ?? {};
        const skipped = e.kind === 'responder_skipped' || e.kind === 'no_safe_responder';
        const reason = d.reason ? h('div', { class: 'reason' }, t('timeline.reason', { reason: reasonText(String(d.reason)) })) : null;
        const note = d.note ? h('div', { class: 'muted' }, `“${d.note}”`) : null;
        const outcome = d.outcome ? h('div', null, label('outcome', d.outcome)) : null;
        return h(
          'li',
          { class: `tl tl-${e.kind}${skipped ? ' is-skipped' : ''}`, dataset: { kind: e.kind } },
          h('time', { datetime: e.at, title: dateTime(e.at), class: 'mono' }, clockTime(e.at)),
          h(
            'div',
            { class: 'tl-body' },
            h('span', { class: 'tl-text' }, describe(e, who)),
            byPerson(e.actor)
              ? h('span', { class: 'muted small' }, ` ${t('timeline.by', { actor: actorLabel(e.actor, context?.people, me) })}`)
              : null,
            reason,
            outcome,
            note,
          ),
        );
      }),
    ),
  );
}

/** Whether an entry was written by a person rather than by the engine or the system. */
const byPerson = (/** @type {unknown} */ actor) =>
  Boolean(actor) && !String(actor).startsWith('system:') && !String(actor).startsWith('engine');

/**
 * The engine writes skip reasons in English (src/domain/dispatch.ts); the known ones are
 * translated here, anything else is shown as written.
 */
function reasonText(/** @type {string} */ reason) {
  // Reason codes (issue 14 §6, §8) have their own text.
  const coded = t(`reason.${reason}`);
  if (coded !== `reason.${reason}`) return coded;
  if (reason === 'named as a presumed aggressor') return t('reason.named');
  const authority = /^presumed aggressor: (\w+) of (.+)$/.exec(reason);
  if (authority) return t('reason.authority', { kind: label('rkind', authority[1]), where: authority[2] });
  return reason;
}

const GOOD = new Set(['delivered', 'answered', 'reached', 'shown']);
const BAD = new Set(['failed', 'undelivered', 'no_answer', 'not_sent']);

/** A reason code from the server (`sms_not_configured`) in the operator's words; else as written. */
function deliveryReason(/** @type {string | null | undefined} */ reason) {
  if (!reason) return t('common.none');
  const key = `nreason.${reason}`;
  const text = t(key);
  return text === key ? reason : text;
}

/**
 * @param {any[]} notifications
 * @param {any} context
 */
export function notificationsPanel(notifications, context) {
  if (notifications.length === 0)
    return panel(t('notifications.title'), 'notifications', h('p', { class: 'muted' }, t('notifications.empty')));
  const who = names(context);
  return panel(
    t('notifications.title'),
    'notifications',
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'grid compact', id: 'notification-list' },
        columnHeads([
          'notifications.recipient',
          'notifications.channel',
          'notifications.status',
          'notifications.attempts',
          'notifications.reached',
          'notifications.reasonText',
        ]),
        h(
          'tbody',
          null,
          notifications.map((n) => {
            const last = n.history?.at?.(-1);
            const tone = GOOD.has(n.status) ? 'good' : BAD.has(n.status) ? 'bad' : 'neutral';
            return h(
              'tr',
              { dataset: { status: n.status } },
              h('td', null, n.recipientId ? (who.get(n.recipientId) ?? label('target', n.target)) : label('target', n.target)),
              h('td', null, label('channel', n.channel)),
              h('td', null, h('span', { class: `badge delivery ${tone}` }, label('nstatus', n.status))),
              h('td', { class: 'num' }, String(n.attempts)),
              h('td', { class: 'mono' }, n.reachedAt ? clockTime(n.reachedAt) : t('common.none')),
              h(
                'td',
                { class: 'small' },
                deliveryReason(n.reason ?? last?.error),
                // Issue 14 §1: the text of every message, to call or write by hand.
                n.body
                  ? h(
                      'details',
                      { class: 'notification-text' },
                      h('summary', null, t('notifications.showText')),
                      h('p', { class: 'mono' }, n.body),
                    )
                  : null,
              ),
            );
          }),
        ),
      ),
    ),
  );
}
