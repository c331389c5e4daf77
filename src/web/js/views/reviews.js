// P5: a genuine alarm reopens the case. Operators see the open case reviews; supervisors take
// one and close it with a note on what was re-evaluated.
import { api } from '../api.js';
import { h, link, replace, seg } from '../dom.js';
import { dateTime } from '../format.js';
import { label, t } from '../i18n.js';

/** @typedef {{ id: string, alarmId: string, state: string, reason: string, assignedTo: string | null,
 *   openedAt: number, closedAt: number | null, closingNote: string | null }} Review */

/**
 * @param {HTMLElement} el
 * @param {Record<string, string>} _params
 * @param {{ userId: string, role: string }} session
 */
export async function renderReviews(el, _params, session) {
  const supervisor = session.role === 'supervisor';
  const status = h('p', { class: 'flash', role: 'status' });
  const body = h('div');
  const load = async () => {
    /** @type {Review[]} */
    const reviews = await api('/api/case-reviews?state=open');
    replace(body, reviews.length === 0 ? h('p', { class: 'empty' }, t('reviews.empty')) : reviews.map((r) => card(r)));
  };
  /** @param {Review} r */
  const card = (r) =>
    h(
      'article',
      { class: 'panel review', 'aria-labelledby': `review-${r.id}` },
      h('h2', { id: `review-${r.id}` }, link(`/alarm/${seg(r.alarmId)}`, {}, t('reviews.alarm', { id: r.alarmId }))),
      h(
        'dl',
        { class: 'facts' },
        h('div', null, h('dt', null, t('reviews.opened')), h('dd', null, dateTime(r.openedAt))),
        h('div', null, h('dt', null, t('reviews.reason')), h('dd', null, label('reason', r.reason))),
        h(
          'div',
          null,
          h('dt', null, t('reviews.assigned')),
          h('dd', null, r.assignedTo === null ? t('reviews.nobody') : r.assignedTo === session.userId ? t('timeline.you') : r.assignedTo),
        ),
      ),
      supervisor ? actions(r) : null,
    );
  /** @param {Review} r */
  const actions = (r) => {
    const noteId = `close-note-${r.id}`;
    return h(
      'div',
      null,
      r.assignedTo === session.userId
        ? null
        : h(
            'button',
            {
              type: 'button',
              onclick: () =>
                run(
                  () => api(`/api/case-reviews/${seg(r.id)}/assign`, { method: 'POST', body: { userId: session.userId } }),
                  'reviews.assignedDone',
                ),
            },
            t('reviews.assignMe'),
          ),
      h(
        'form',
        {
          class: 'review-close',
          onsubmit: (/** @type {SubmitEvent} */ e) => {
            e.preventDefault();
            const note = String(new FormData(/** @type {HTMLFormElement} */ (e.currentTarget)).get('note') ?? '').trim();
            run(() => api(`/api/case-reviews/${seg(r.id)}/close`, { method: 'POST', body: { note } }), 'reviews.closedDone');
          },
        },
        h('label', { for: noteId }, t('reviews.closeNote')),
        h('textarea', { id: noteId, name: 'note', rows: '2', required: true, maxlength: '4000' }),
        h('button', { type: 'submit', class: 'primary' }, t('reviews.close')),
      ),
    );
  };
  const run = async (/** @type {() => Promise<unknown>} */ call, /** @type {string} */ done) => {
    try {
      await call();
      status.textContent = t(done);
    } catch (err) {
      status.textContent = t('common.error', { message: /** @type {Error} */ (err).message });
    }
    await load();
  };
  replace(el, h('h1', null, t('reviews.title')), h('p', { class: 'muted' }, t('reviews.caption')), status, body);
  await load();
  return undefined;
}
