// The confirmation before dispatch: paging an authority takes one deliberate step more than a
// key press. It names the jurisdiction's responders that may be sent and those that never will
// be (presumed aggressors, P4); the server still makes the choice (src/domain/dispatch.ts).
import { html, render } from '../html.js';
import { t } from '../i18n.js';

/** @typedef {{ id: string, name: string, aggressor: string | null }} Responder */

/** @param {{ responders: Responder[], onConfirm: () => void, onCancel: () => void }} props */
function DispatchConfirm({ responders, onConfirm, onCancel }) {
  const safe = responders.filter((r) => !r.aggressor).map((r) => r.name);
  const never = responders.filter((r) => r.aggressor).map((r) => r.name);
  return html`<section class="panel dispatch-confirm" id="dispatch-confirm" role="alertdialog" aria-labelledby="dispatch-title">
    <h2 id="dispatch-title">${t('dispatch.title')}</h2>
    <p>${t('dispatch.question')}</p>
    ${safe.length ? html`<p>${t('dispatch.safe', { names: safe.join(', ') })}</p>` : null}
    ${never.length ? html`<p class="reason" id="dispatch-never">${t('dispatch.never', { names: never.join(', ') })}</p>` : null}
    <div class="row">
      <button type="button" class="primary" id="dispatch-confirm-yes" onClick=${onConfirm}>${t('dispatch.confirm')}</button>
      <button type="button" class="ghost" aria-label=${t('dispatch.cancel')} onClick=${onCancel}>${t('alarm.cancel')}</button>
    </div>
  </section>`;
}

/**
 * A host element kept across the alarm view's repaints; `open` shows the panel for the alarm's
 * current context, `close` removes it.
 * @param {() => Promise<void>} confirm
 */
export function createDispatchConfirm(confirm) {
  const el = document.createElement('div');
  let shown = false;
  const close = () => {
    shown = false;
    render(null, el);
  };
  return {
    el,
    isOpen: () => shown,
    close,
    open: (/** @type {any} */ context) => {
      shown = true;
      render(
        html`<${DispatchConfirm}
          responders=${context?.responders ?? []}
          onConfirm=${() => {
            close();
            confirm();
          }}
          onCancel=${close}
        />`,
        el,
      );
      // Enter confirms from the keyboard: the confirm button takes the focus as the panel opens.
      /** @type {HTMLElement | null} */ (el.querySelector('#dispatch-confirm-yes'))?.focus();
    },
  };
}
