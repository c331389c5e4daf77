// The person-side panels of an alarm: alias, contacts, location, presumed aggressors.
import { h } from '../dom.js';
import { number } from '../format.js';
import { label, t } from '../i18n.js';

/** @param {string} title @param {string} id @param {...unknown} body */
export const panel = (title, id, ...body) =>
  h('section', { class: 'panel', id, 'aria-labelledby': `${id}-title` }, h('h2', { id: `${id}-title` }, title), ...body);

/** @param {string} term @param {unknown} value */
const row = (term, value) => h('div', null, h('dt', null, term), h('dd', null, value));

/** @param {any} b */
export function personPanel(b) {
  if (!b) return panel(t('person.title'), 'person', h('p', { class: 'muted' }, t('person.none')));
  return panel(
    t('person.title'),
    'person',
    h(
      'dl',
      { class: 'facts' },
      row(t('person.alias'), h('strong', { class: 'alias', id: 'person-alias' }, b.alias)),
      row(t('person.kind'), label('bkind', b.kind)),
      row(t('person.risk'), h('span', { class: `risk risk-${b.riskLevel}` }, label('risk', b.riskLevel))),
      row(t('person.where'), [b.municipality, b.stateCode].filter(Boolean).join(', ')),
    ),
  );
}

/** @param {any[]} contacts */
export function contactsPanel(contacts) {
  if (contacts.length === 0) return panel(t('contacts.title'), 'contacts', h('p', { class: 'muted' }, t('contacts.empty')));
  return panel(
    t('contacts.title'),
    'contacts',
    h(
      'ol',
      { class: 'contacts' },
      contacts.map((c) =>
        h(
          'li',
          null,
          h('span', { class: 'contact-name' }, c.name),
          h('span', { class: 'muted' }, ` · ${c.relation}`),
          h('br'),
          // tel: with the E.164 digits only: the number is the registry's, validated on entry.
          h(
            'a',
            {
              href: `tel:${String(c.phone).replace(/[^+\d]/g, '')}`,
              class: 'phone mono',
              'aria-label': t('contacts.call', { name: c.name }),
            },
            c.phone,
          ),
          h(
            'span',
            { class: 'muted small' },
            ` (${(c.channels ?? []).map((/** @type {string} */ ch) => label('channel', ch)).join(', ')})`,
          ),
        ),
      ),
    ),
  );
}

/** @param {{ lat: number, lon: number, acc?: number } | null} loc */
export function locationPanel(loc) {
  if (!loc || !Number.isFinite(loc.lat) || !Number.isFinite(loc.lon))
    return panel(t('location.title'), 'location', h('p', { class: 'muted' }, t('location.none')));
  const lat = Number(loc.lat).toFixed(5);
  const lon = Number(loc.lon).toFixed(5);
  // Only numbers go into the link; no map tiles are loaded here (CSP allows none).
  const osm = `https://www.openstreetmap.org/?mlat=${lat}&mlon=${lon}#map=17/${lat}/${lon}`;
  return panel(
    t('location.title'),
    'location',
    h(
      'dl',
      { class: 'facts' },
      row(t('location.lat'), h('span', { class: 'mono' }, lat)),
      row(t('location.lon'), h('span', { class: 'mono' }, lon)),
      typeof loc.acc === 'number' ? row(t('location.acc'), t('location.meters', { value: number(loc.acc, 0) })) : null,
    ),
    h('p', null, h('a', { href: osm, target: '_blank', rel: 'noopener noreferrer', id: 'osm-link' }, `${t('location.osm')} ↗`)),
  );
}

/**
 * @param {any[]} aggressors
 * @param {{ id: string, name: string, kind: string }[]} responders
 */
export function aggressorsPanel(aggressors, responders) {
  const byId = new Map(responders.map((r) => [r.id, r]));
  const describe = (/** @type {any} */ a) => {
    if (a.type === 'responder') return t('aggressors.responder', { name: byId.get(a.responderId)?.name ?? a.responderId });
    if (a.type === 'authority')
      return t('aggressors.authority', {
        kind: label('rkind', a.responderKind),
        where: [a.municipality, a.stateCode].filter(Boolean).join(', '),
      });
    if (a.type === 'non_state') return a.description ? `${t('aggressors.nonState')}: ${a.description}` : t('aggressors.nonState');
    return t('aggressors.unknown');
  };
  return panel(
    t('aggressors.title'),
    'aggressors',
    aggressors.length === 0
      ? h('p', { class: 'muted' }, t('aggressors.empty'))
      : h(
          'ul',
          { class: 'aggressors' },
          aggressors.map((a) => h('li', null, describe(a))),
        ),
  );
}
