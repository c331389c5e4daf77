// What the map shows, in words beside it: the fix (coordinates, accuracy, age), the registered
// addresses and the jurisdiction's responders with a number to call — never a presumed
// aggressor's (P4). Preact components (src/web/js/html.js).
import { dateTime, number, since } from '../format.js';
import { html } from '../html.js';
import { t } from '../i18n.js';

/** @typedef {{ lat: number, lon: number, acc?: number }} Fix */
/** @typedef {{ id: string, label: string, line: string, municipality: string | null, stateCode: string, lat: number | null, lon: number | null }} Address */
/** @typedef {{ id: string, name: string, phone: string, aggressor: string | null }} Responder */

const tel = (/** @type {string} */ phone) => `tel:${String(phone).replace(/[^+\d]/g, '')}`;

/** @param {{ fix: Fix | null, at: string }} props at: when the device took the fix (the alarm's own time) */
function FixFacts({ fix, at }) {
  if (!fix) return html`<p class="muted" id="map-no-fix">${t('location.none')}</p>`;
  const lat = Number(fix.lat).toFixed(5);
  const lon = Number(fix.lon).toFixed(5);
  const osm = `https://www.openstreetmap.org/?mlat=${lat}&mlon=${lon}#map=17/${lat}/${lon}`;
  return html`<dl class="facts" id="map-fix">
    <div><dt>${t('map.coordinates')}</dt><dd class="mono">${lat}, ${lon}</dd></div>
    <div>
      <dt>${t('location.acc')}</dt>
      <dd id="map-fix-acc">${typeof fix.acc === 'number' ? t('location.meters', { value: number(fix.acc, 0) }) : t('map.accUnknown')}</dd>
    </div>
    <div>
      <dt>${t('map.age')}</dt>
      <dd id="map-fix-age"><span class="mono" data-since=${at} title=${dateTime(at)}>${since(at)}</span></dd>
    </div>
    <p><a href=${osm} target="_blank" rel="noopener noreferrer" id="osm-link">${t('location.osm')} ↗</a></p>
  </dl>`;
}

/** @param {{ addresses: Address[] }} props */
function Addresses({ addresses }) {
  return html`<div id="map-addresses">
    <h3>${t('map.addresses')}</h3>
    ${
      addresses.length === 0
        ? html`<p class="muted">${t('map.noAddresses')}</p>`
        : html`<ul class="addresses">
            ${addresses.map(
              (a) => html`<li key=${a.id}>
                <strong>${a.label}</strong> · ${[a.line, a.municipality, a.stateCode].filter(Boolean).join(', ')}
                ${a.lat === null ? html`<span class="muted small"> (${t('map.notOnMap')})</span>` : null}
              </li>`,
            )}
          </ul>`
    }
  </div>`;
}

/** @param {{ responders: Responder[] }} props */
function Responders({ responders }) {
  return html`<div id="map-responders">
    <h3>${t('map.responders')}</h3>
    ${
      responders.length === 0
        ? html`<p class="muted">${t('map.noResponders')}</p>`
        : html`<ul class="contacts">
            ${responders.map((r) =>
              r.aggressor
                ? // P4: no call link to a presumed aggressor; the number stays visible but marked.
                  html`<li key=${r.id} class="is-aggressor">
                    <span class="contact-name">${r.name}</span> <span class="mono muted">${r.phone}</span>
                    <span class="badge sev sev-critical">${t('map.doNotCall')}</span>
                  </li>`
                : html`<li key=${r.id}>
                    <span class="contact-name">${r.name}</span> <a href=${tel(r.phone)} class="phone mono">${r.phone}</a>
                  </li>`,
            )}
          </ul>`
    }
  </div>`;
}

/** @param {{ fix: Fix | null, at: string, addresses: Address[], responders: Responder[] }} props */
export function MapFacts({ fix, at, addresses, responders }) {
  return html`<${FixFacts} fix=${fix} at=${at} /><${Addresses} addresses=${addresses} /><${Responders} responders=${responders} />`;
}
