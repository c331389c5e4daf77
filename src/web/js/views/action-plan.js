// The alarm's action plan (issue 18): the checklist the operator works through, each step marked
// done with what happened or skipped with why, and — for a supervisor — closing the open steps
// with a reason. Built once per alarm view: a repaint from the live stream refreshes the list
// without wiping an outcome being typed.
import { ApiError, api } from '../api.js';
import { h, replace, seg } from '../dom.js';
import { clockTime, dateTime } from '../format.js';
import { label, t } from '../i18n.js';
import { securityAnswerForm } from './security-answer.js';

/**
 * @typedef {{ key: string, type: string, title: string, after: string[], source: 'plan' | 'case', status: 'open' | 'done' | 'skipped',
 *   outcome: string | null, reason: string | null, by: string | null, at: string | null }} PlanStep
 * @typedef {{ name: string | null, open: number, steps: PlanStep[] }} Plan
 */

/**
 * @param {string} alarmId
 * @param {{ userId: string, role?: string }} session the console session (its role shows the supervisor's override)
 * @param {() => Promise<void>} reload the alarm view's own reload, run after each change
 */
export function actionPlanPanel(alarmId, session, reload) {
  const list = h('ol', { class: 'plan-steps', id: 'plan-steps' });
  const summary = h('p', { class: 'plan-summary', id: 'plan-summary', role: 'status' });
  const status = h('p', { class: 'flash', role: 'alert', id: 'plan-status' });
  /** @type {{ kind: 'done' | 'skip' | 'override', step?: PlanStep } | null} */
  let pending = null;

  const text = h('textarea', { id: 'plan-text', name: 'text', rows: '2', maxlength: '2000', required: true });
  const textLabel = h('label', { for: 'plan-text', id: 'plan-text-label' });
  const formTitle = h('h3', { id: 'plan-form-title' });
  // The save button says what it saves: the alarm view also has "Guardar nota" and "Guardar llamada".
  const save = h('button', { type: 'submit', class: 'primary', id: 'plan-submit' }, t('plan.save'));
  const cancel = h('button', { type: 'button', class: 'ghost', id: 'plan-cancel', onclick: () => close() }, t('alarm.cancel'));
  const form = h(
    'form',
    {
      class: 'plan-form',
      id: 'plan-form',
      hidden: true,
      'aria-labelledby': 'plan-form-title',
      onsubmit: (/** @type {SubmitEvent} */ e) => {
        e.preventDefault();
        submit(String(/** @type {HTMLTextAreaElement} */ (text).value).trim());
      },
    },
    formTitle,
    textLabel,
    text,
    h('div', { class: 'row' }, save, cancel),
  );

  const close = () => {
    pending = null;
    form.hidden = true;
    /** @type {HTMLFormElement} */ (form).reset();
  };

  /** @param {'done' | 'skip' | 'override'} kind @param {PlanStep} [step] */
  const open = (kind, step) => {
    pending = { kind, step };
    formTitle.textContent = kind === 'override' ? t('plan.overrideTitle') : (step?.title ?? '');
    textLabel.textContent = t(kind === 'done' ? 'plan.outcome' : kind === 'skip' ? 'plan.reason' : 'plan.overrideReason');
    save.textContent = t(kind === 'done' ? 'plan.saveDone' : kind === 'skip' ? 'plan.saveSkip' : 'plan.saveOverride');
    cancel.setAttribute('aria-label', t('plan.cancel', { step: formTitle.textContent ?? '' }));
    form.hidden = false;
    /** @type {HTMLElement} */ (text).focus();
  };

  /** @param {string} value */
  const submit = async (value) => {
    if (!pending || !value) return;
    const { kind, step } = pending;
    const path = kind === 'override' ? 'plan/override' : `plan/steps/${seg(step?.key ?? '')}/${kind === 'done' ? 'done' : 'skip'}`;
    const body = kind === 'done' ? { outcome: value } : { reason: value };
    try {
      await api(`/api/alarms/${seg(alarmId)}/${path}`, { method: 'POST', body });
      status.textContent = '';
      close();
    } catch (err) {
      status.textContent = err instanceof ApiError ? err.message : t('common.error', { message: /** @type {Error} */ (err).message });
    }
    await reload();
  };

  const el = h(
    'section',
    { class: 'panel plan', id: 'plan', 'aria-labelledby': 'plan-title' },
    h('h2', { id: 'plan-title' }, t('plan.title')),
    summary,
    list,
    status,
    form,
    securityAnswerForm(alarmId, reload),
  );

  /**
   * @param {Plan | null | undefined} plan
   * @param {string} alarmState
   */
  const render = (plan, alarmState) => {
    const steps = plan?.steps ?? [];
    const resolved = alarmState === 'resolved';
    const openCount = steps.filter((s) => s.status === 'open').length;
    summary.textContent =
      steps.length === 0 ? t('plan.none') : openCount === 0 ? t('plan.allClosed') : t('plan.openSteps', { count: openCount });
    summary.className = `plan-summary${openCount > 0 && !resolved ? ' is-open' : ''}`;
    const byKey = new Map(steps.map((s) => [s.key, s]));
    replace(
      list,
      steps.map((s) => {
        const waiting = s.after.filter((k) => byKey.get(k)?.status === 'open');
        const canMark = s.status === 'open' && !resolved && waiting.length === 0;
        return h(
          'li',
          { class: `plan-step is-${s.status}`, dataset: { step: s.key } },
          h('span', { class: `badge plan-${s.status}` }, label('planStatus', s.status)),
          ' ',
          h('span', { class: 'plan-step-title' }, s.title),
          s.source === 'case' ? h('span', { class: 'badge test' }, t('plan.fromCase')) : null,
          s.status === 'done' && s.outcome ? h('div', { class: 'plan-note' }, t('plan.outcomeWas', { text: s.outcome })) : null,
          s.status === 'skipped' && s.reason ? h('div', { class: 'plan-note reason' }, t('timeline.reason', { reason: s.reason })) : null,
          s.by && s.at
            ? h(
                'div',
                { class: 'muted small' },
                t('plan.markedBy', { who: s.by === session.userId ? t('timeline.you') : s.by }),
                ' · ',
                h('time', { datetime: s.at, title: dateTime(s.at) }, clockTime(s.at)),
              )
            : null,
          waiting.length > 0 && s.status === 'open'
            ? h('div', { class: 'muted small' }, t('plan.waitingFor', { steps: waiting.map((k) => byKey.get(k)?.title ?? k).join(', ') }))
            : null,
          canMark
            ? h(
                'div',
                { class: 'row plan-actions' },
                h(
                  'button',
                  { type: 'button', class: 'small', 'aria-label': t('plan.markDone', { step: s.title }), onclick: () => open('done', s) },
                  t('plan.done'),
                ),
                h(
                  'button',
                  {
                    type: 'button',
                    class: 'small ghost',
                    'aria-label': t('plan.markSkip', { step: s.title }),
                    onclick: () => open('skip', s),
                  },
                  t('plan.skip'),
                ),
              )
            : null,
        );
      }),
    );
    const override = el.querySelector('#plan-override');
    if (session.role === 'supervisor' && openCount > 0 && !resolved) {
      if (!override)
        el.insertBefore(
          h('button', { type: 'button', class: 'ghost', id: 'plan-override', onclick: () => open('override') }, t('plan.override')),
          status,
        );
    } else override?.remove();
    return el;
  };

  return { el, render };
}
