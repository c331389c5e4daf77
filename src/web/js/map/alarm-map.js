// The operator's map: the alarm's fix with its accuracy circle and age, the person's registered
// addresses, over an outline of Mexico's states shipped with the console (works without
// internet). Raster tiles only when the site configures CENTINELA_MAP_TILE_URL.
import { h } from '../dom.js';
import { since } from '../format.js';
import { html, render } from '../html.js';
import { t } from '../i18n.js';
import { MapFacts } from './map-facts.js';
import { loadOutline } from './outline.js';

/** @typedef {{ lat: number, lon: number, acc?: number }} Fix */
/** @typedef {{ id: string, label: string, line: string, municipality: string | null, stateCode: string, lat: number | null, lon: number | null }} Address */

const FIX_STYLE = { color: '#ff5d5d', weight: 2, fillOpacity: 0.15 };
const ADDRESS_STYLE = { radius: 7, color: '#6cb6ff', weight: 2, fillColor: '#6cb6ff', fillOpacity: 0.6 };
/** Mexico as a whole, when nothing else is known. */
const MEXICO_BOUNDS = /** @type {[[number, number], [number, number]]} */ ([
  [14.4, -118.5],
  [32.8, -86.7],
]);

const tileUrl = () => document.querySelector('meta[name="centinela-map-tiles"]')?.getAttribute('content') ?? null;

/**
 * Built once per alarm view and kept across repaints, so the map is not rebuilt at every event.
 * `update` redraws the layers from the alarm and its context.
 */
export function createAlarmMap() {
  const canvas = h('div', { class: 'map-canvas', id: 'alarm-map', role: 'img', 'aria-label': t('map.label') });
  const facts = h('div', { class: 'map-facts' });
  const el = h(
    'section',
    { class: 'panel map-panel', id: 'location', 'aria-labelledby': 'location-title' },
    h('h2', { id: 'location-title' }, t('location.title')),
    canvas,
    facts,
  );
  /** @type {any} */
  let map;
  /** @type {any} */
  let layers;
  /** @type {Promise<any> | undefined} */
  let ready;
  let fitted = '';
  /** Set when the view closes: an update still awaiting the library or the outline must stop there. */
  let destroyed = false;

  const start = async () => {
    const L = await import('leaflet');
    if (destroyed) throw new Error('the alarm view closed');
    // No animations: nothing moves under an operator's eyes, and no transition can outlive the view.
    map = L.map(canvas, { zoomAnimation: false, fadeAnimation: false, markerZoomAnimation: false, inertia: false }).fitBounds(
      MEXICO_BOUNDS,
    );
    const tiles = tileUrl();
    if (tiles) L.tileLayer(tiles, { maxZoom: 19, attribution: t('map.tilesAttribution') }).addTo(map);
    L.control.scale({ imperial: false }).addTo(map);
    const outline = await loadOutline();
    if (destroyed) throw new Error('the alarm view closed');
    L.geoJSON(outline, {
      style: { color: '#8b98a9', weight: 1, fillColor: '#1f2a36', fillOpacity: tiles ? 0 : 0.55 },
      interactive: false,
    }).addTo(map);
    map.attributionControl.addAttribution(t('map.outlineAttribution'));
    layers = L.layerGroup().addTo(map);
    // Without tiles the outline is all there is to see: closer than a region shows nothing more.
    return { L, outline, closest: tiles ? 15 : 9 };
  };

  /**
   * @param {{ raisedAt: string }} alarm
   * @param {{ loc: Fix | null, locAt?: string | null, addresses?: Address[], responders?: any[], beneficiary?: { stateCode: string } | null } | null} context
   */
  const update = async (alarm, context) => {
    const fix = validFix(context?.loc ?? null);
    // The latest fix: a repeat press may have brought a newer one than the alarm's first.
    const fixAt = context?.locAt ?? alarm.raisedAt;
    const addresses = context?.addresses ?? [];
    render(html`<${MapFacts} fix=${fix} at=${fixAt} addresses=${addresses} responders=${context?.responders ?? []} />`, facts);
    if (!el.isConnected) return;
    ready ??= start();
    const { L, outline, closest } = await ready;
    if (destroyed) return;
    map.invalidateSize();
    layers.clearLayers();
    /** @type {[number, number][]} */
    const points = [];
    if (fix) {
      L.circle([fix.lat, fix.lon], { ...FIX_STYLE, radius: Math.max(fix.acc ?? 30, 15), className: 'map-fix-accuracy' }).addTo(layers);
      L.circleMarker([fix.lat, fix.lon], { radius: 6, color: '#ff5d5d', fillColor: '#ff5d5d', fillOpacity: 1, className: 'map-fix' })
        .bindTooltip(t('map.fix', { age: since(fixAt) }))
        .addTo(layers);
      points.push([fix.lat, fix.lon]);
    }
    for (const a of addresses) {
      if (a.lat === null || a.lon === null) continue;
      L.circleMarker([a.lat, a.lon], { ...ADDRESS_STYLE, className: 'map-address' })
        .bindTooltip(`${a.label}: ${a.line}`)
        .addTo(layers);
      points.push([a.lat, a.lon]);
    }
    // Fit once per set of points: a live repaint must not move the map under the operator's hand.
    const key = JSON.stringify(points);
    if (key === fitted) return;
    fitted = key;
    if (points.length === 1) map.setView(points[0], closest);
    else if (points.length > 1) map.fitBounds(points, { padding: [24, 24], maxZoom: closest });
    else {
      const state = outline.features.find((/** @type {any} */ f) => f.properties.code === context?.beneficiary?.stateCode);
      map.fitBounds(state ? L.geoJSON(state).getBounds() : MEXICO_BOUNDS);
    }
  };

  return {
    el,
    update,
    destroy: () => {
      destroyed = true;
      map?.remove();
      render(null, facts);
    },
  };
}

/** @param {Fix | null} loc */
const validFix = (loc) => (loc && Number.isFinite(loc.lat) && Number.isFinite(loc.lon) ? loc : null);
