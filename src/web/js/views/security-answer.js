// The security question on the phone (issue 18): the operator types what the caller answered;
// a duress answer shows how to keep the caller talking — never anything the caller could hear
// as an alarm (no sound, no wording to read out).
import { ApiError, api } from '../api.js';
import { h, replace, seg } from '../dom.js';
import { t } from '../i18n.js';

const GUIDANCE = ['duress.g1', 'duress.g2', 'duress.g3', 'duress.g4', 'duress.g5'];

/**
 * @param {string} alarmId
 * @param {() => Promise<void>} reload
 */
export function securityAnswerForm(alarmId, reload) {
  const input = h('input', { id: 'security-answer', name: 'answer', type: 'text', autocomplete: 'off', maxlength: '200', required: true });
  const result = h('div', { id: 'security-result', role: 'status' });
  const form = h(
    'form',
    {
      class: 'security-answer row',
      id: 'security-form',
      onsubmit: async (/** @type {SubmitEvent} */ e) => {
        e.preventDefault();
        const answer = String(/** @type {HTMLInputElement} */ (input).value).trim();
        if (!answer) return;
        try {
          const r = await api(`/api/alarms/${seg(alarmId)}/security-answer`, { method: 'POST', body: { answer } });
          /** @type {HTMLFormElement} */ (form).reset();
          show(r.result);
        } catch (err) {
          replace(result, err instanceof ApiError ? err.message : t('common.error', { message: /** @type {Error} */ (err).message }));
        }
        await reload();
      },
    },
    h('label', { for: 'security-answer' }, t('duress.answerLabel')),
    input,
    h('button', { type: 'submit' }, t('duress.check')),
  );

  /** @param {string} r */
  const show = (r) => {
    if (r !== 'duress') {
      replace(result, h('p', { class: r === 'correct' ? 'ok' : 'reason' }, t(`duress.result.${r}`)));
      return;
    }
    replace(
      result,
      h(
        'div',
        { class: 'duress-guidance', id: 'duress-guidance' },
        h('h3', null, t('duress.title')),
        h(
          'ol',
          null,
          GUIDANCE.map((k) => h('li', null, t(k))),
        ),
      ),
    );
  };

  return h('div', { class: 'security' }, form, result);
}
