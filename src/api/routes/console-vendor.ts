import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WEB_DIR } from './console-i18n.ts';

const require = createRequire(import.meta.url);
const UPLOT_DIR = dirname(require.resolve('uplot'));
const PREACT_DIR = dirname(require.resolve('preact/package.json'));
const HTM_DIST = dirname(require.resolve('htm'));
const LEAFLET_DIST = join(dirname(require.resolve('leaflet/package.json')), 'dist');

/**
 * Libraries the console loads from node_modules, under /assets/vendor/: no bundler, no CDN, so
 * the console works without internet. Each entry is one file, named here (never a path from
 * the request). The states' outline for the operator's map comes from src/web/geo.
 */
export const VENDOR_FILES: Record<string, { dir: string; file: string }> = {
  'vendor/uPlot.iife.min.js': { dir: UPLOT_DIR, file: 'uPlot.iife.min.js' },
  'vendor/uPlot.min.css': { dir: UPLOT_DIR, file: 'uPlot.min.css' },
  'vendor/preact.mjs': { dir: join(PREACT_DIR, 'dist'), file: 'preact.mjs' },
  'vendor/preact-hooks.mjs': { dir: join(PREACT_DIR, 'hooks', 'dist'), file: 'hooks.mjs' },
  'vendor/htm.mjs': { dir: HTM_DIST, file: 'htm.mjs' },
  'vendor/leaflet/leaflet.mjs': { dir: LEAFLET_DIST, file: 'leaflet-src.esm.js' },
  'vendor/leaflet/leaflet.css': { dir: LEAFLET_DIST, file: 'leaflet.css' },
  'vendor/leaflet/images/layers.png': { dir: join(LEAFLET_DIST, 'images'), file: 'layers.png' },
  'vendor/leaflet/images/layers-2x.png': { dir: join(LEAFLET_DIST, 'images'), file: 'layers-2x.png' },
  // The outline of Mexico's states drawn under the map without internet (src/web/geo/README.md).
  'geo/mexico-states.geojson': { dir: join(fileURLToPath(WEB_DIR), 'geo'), file: 'mexico-states.geojson' },
};

/** Bare module names for the browser (preact's hooks import "preact"; Leaflet only on an alarm's map). */
export const IMPORT_MAP_JSON = JSON.stringify({
  imports: {
    preact: '/assets/vendor/preact.mjs',
    'preact/hooks': '/assets/vendor/preact-hooks.mjs',
    htm: '/assets/vendor/htm.mjs',
    leaflet: '/assets/vendor/leaflet/leaflet.mjs',
  },
});

/**
 * An import map can only be inline; the CSP admits exactly this one by its hash, so
 * `script-src` still allows no other inline script.
 */
export const IMPORT_MAP_CSP_HASH = `'sha256-${createHash('sha256').update(IMPORT_MAP_JSON).digest('base64')}'`;
