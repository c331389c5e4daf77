// Issue 13: a carrier outage is visible to the people answering alarms — "SMS provider failing
// since 14:05; 7 contacts not yet reached" — from GET /api/paging, checked every few seconds and
// as soon as the live stream reports a page retried (the outage starts) or sent (it may be over).
import { api } from './api.js';
import { h } from './dom.js';
import { clockTime } from './format.js';
import { t } from './i18n.js';
import { onLive } from './live.js';

const EVERY_MS = 10_000;
const ID = 'paging-outage-banner';

/** @typedef {{ channel: 'sms' | 'voice', failing: boolean, failingSince: string | null, notReached: number }} ProviderStatus */

/** Shows (and keeps current) a banner above the view while the SMS or voice provider fails. */
export function startPagingBanner() {
  const check = async () => {
    /** @type {{ providers: ProviderStatus[] }} */
    let status;
    try {
      status = await api('/api/paging');
    } catch {
      return; // The live-status indicator already says when the console lost the server.
    }
    const failing = status.providers.filter((p) => p.failing);
    const current = document.getElementById(ID);
    if (failing.length === 0) {
      current?.remove();
      return;
    }
    const banner = h(
      'div',
      { id: ID, class: 'banner paging-outage', role: 'alert' },
      ...failing.map((p) =>
        h(
          'p',
          { dataset: { channel: p.channel } },
          t(`paging.failing.${p.channel}`, { since: p.failingSince ? clockTime(p.failingSince) : '?', count: p.notReached }),
        ),
      ),
    );
    if (current?.textContent === banner.textContent) return;
    if (current) current.replaceWith(banner);
    else document.getElementById('view')?.before(banner);
  };
  let soon = /** @type {ReturnType<typeof setTimeout> | undefined} */ (undefined);
  onLive((m) => {
    if (m.event !== 'notification.changed' || soon) return;
    const { channel, status } = /** @type {{ channel?: string, status?: string }} */ (m.data);
    if ((channel !== 'sms' && channel !== 'voice') || !['retry', 'sent', 'calling'].includes(status ?? '')) return;
    soon = setTimeout(() => {
      soon = undefined;
      check();
    }, 1000);
  });
  check();
  setInterval(check, EVERY_MS);
}
