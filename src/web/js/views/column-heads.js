import { h } from '../dom.js';
import { t } from '../i18n.js';

/**
 * A table's header row: one column heading per text key, each marked as heading its column for
 * screen readers. The console's lists (queue, fleet, incidents, out of protection, notifications)
 * share it.
 * @param {string[]} keys
 */
export function columnHeads(keys) {
  return h(
    'thead',
    null,
    h(
      'tr',
      null,
      keys.map((k) => h('th', { scope: 'col' }, t(k))),
    ),
  );
}
