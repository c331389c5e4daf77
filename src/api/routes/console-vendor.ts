import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WEB_DIR } from './console-i18n.ts';

const require = createRequire(import.meta.url);
/** A package's folder; htm exports no package.json, so its main file's folder's parent. */
const packageDir = (name: string) => {
  try {
    return dirname(require.resolve(`${name}/package.json`));
  } catch {
    return dirname(dirname(require.resolve(name)));
  }
};

/**
 * Libraries the console loads, served from node_modules under /assets/vendor/ (no build step, no
 * internet): path under /assets/ → [directory, file]. Only these files, never a whole package.
 */
export const VENDOR_FILES: Record<string, [string, string]> = {
  'vendor/uPlot.iife.min.js': [join(packageDir('uplot'), 'dist'), 'uPlot.iife.min.js'],
  'vendor/uPlot.min.css': [join(packageDir('uplot'), 'dist'), 'uPlot.min.css'],
  'vendor/preact/preact.mjs': [join(packageDir('preact'), 'dist'), 'preact.mjs'],
  'vendor/preact/hooks.mjs': [join(packageDir('preact'), 'hooks', 'dist'), 'hooks.mjs'],
  'vendor/htm/htm.mjs': [join(packageDir('htm'), 'dist'), 'htm.mjs'],
  'vendor/leaflet/leaflet.mjs': [join(packageDir('leaflet'), 'dist'), 'leaflet-src.esm.js'],
  'vendor/leaflet/leaflet.css': [join(packageDir('leaflet'), 'dist'), 'leaflet.css'],
  'vendor/leaflet/images/layers.png': [join(packageDir('leaflet'), 'dist', 'images'), 'layers.png'],
  'vendor/leaflet/images/layers-2x.png': [join(packageDir('leaflet'), 'dist', 'images'), 'layers-2x.png'],
  // The outline of Mexico's states drawn under the map without internet (src/web/geo/README.md).
  'geo/mexico-states.geojson': [join(fileURLToPath(WEB_DIR), 'geo'), 'mexico-states.geojson'],
};

/** Bare module names the console's ES modules import, resolved by the page's import map. */
export const IMPORT_MAP = JSON.stringify({
  imports: {
    preact: '/assets/vendor/preact/preact.mjs',
    'preact/hooks': '/assets/vendor/preact/hooks.mjs',
    htm: '/assets/vendor/htm/htm.mjs',
    leaflet: '/assets/vendor/leaflet/leaflet.mjs',
  },
});

/** The import map is the page's only inline script: the CSP allows it by its hash, nothing else. */
export const IMPORT_MAP_HASH = `'sha256-${createHash('sha256').update(IMPORT_MAP).digest('base64')}'`;
