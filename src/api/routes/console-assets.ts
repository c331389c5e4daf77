import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { App } from '../deps.ts';
import { WEB_DIR } from './console-i18n.ts';
import { VENDOR_FILES } from './console-vendor.ts';

export const ASSET_PREFIX = '/assets/';

/** Only browser files of src/web: never its tests, notes or anything outside it. */
const WEB_FILE = /^(?:[a-z0-9-]+\/)*[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:js|css|json|svg)$/;

/**
 * GET /assets/*: the console's own files, plain ES modules with no build step (nothing to
 * compile at start). Served with an ETag and `no-cache`, so a deploy is picked up at the next
 * load while unchanged files cost a 304. Public: they hold code and texts, never data.
 */
export async function assetRoutes(app: App): Promise<void> {
  await app.register(fastifyStatic, { serve: false, root: fileURLToPath(WEB_DIR), etag: true, lastModified: false, cacheControl: false });
  const webRoot = fileURLToPath(WEB_DIR);
  app.get(`${ASSET_PREFIX}*`, { config: { access: 'public' }, schema: { hide: true } }, (req, reply) => {
    const path = (req.params as { '*': string })['*'];
    const vendor = VENDOR_FILES[path];
    reply.header('cache-control', 'no-cache').header('x-content-type-options', 'nosniff');
    if (vendor) return reply.sendFile(vendor.file, vendor.dir);
    if (!WEB_FILE.test(path) || path.endsWith('.test.js')) return reply.callNotFound();
    return reply.sendFile(path, webRoot);
  });
}
