// The person-side panels of an alarm: alias, contacts, presumed aggressors (the map: src/web/js/map/).
import { h } from '../dom.js';
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
