import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import { ACCESS } from '../../access-policy.ts';
import { LANGUAGES, type Language, type Messages, WEB_DIR } from '../../console/i18n.ts';
import { VENDOR_FILES } from '../../console/vendor.ts';
import type { App } from '../../deps.ts';

export const ASSET_PREFIX = '/assets/';

/** Only browser files of src/web: never its tests, notes or anything outside it. */
const WEB_FILE = /^(?:[a-z0-9-]+\/)*[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:js|css|json|svg)$/;

/**
 * GET /assets/*: the console's own files, plain ES modules with no build step (nothing to
 * compile at start). Served with an ETag and `no-cache`, so a deploy is picked up at the next
 * load while unchanged files cost a 304. Public: they hold code and texts, never data.
 * `i18n/<language>.json` is the texts as src/api/console/i18n.ts composes them (with the state
 * names), not the file alone.
 */
export async function assetRoutes(app: App, messages: Record<Language, Messages>): Promise<void> {
  await app.register(fastifyStatic, { serve: false, root: fileURLToPath(WEB_DIR), etag: true, lastModified: false, cacheControl: false });
  const webRoot = fileURLToPath(WEB_DIR);
  const texts = new Map(
    LANGUAGES.map((lang) => {
      const body = JSON.stringify(messages[lang]);
      return [`i18n/${lang}.json`, { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` }];
    }),
  );
  app.get(`${ASSET_PREFIX}*`, { config: { access: ACCESS.public }, schema: { hide: true } }, (req, reply) => {
    const path = (req.params as { '*': string })['*'];
    const vendor = VENDOR_FILES[path];
    reply.header('cache-control', 'no-cache').header('x-content-type-options', 'nosniff');
    if (vendor) return reply.sendFile(vendor.file, vendor.dir);
    const text = texts.get(path);
    if (text) {
      reply.header('etag', text.etag);
      if (req.headers['if-none-match'] === text.etag) return reply.code(304).send();
      return reply.type('application/json; charset=utf-8').send(text.body);
    }
    if (!WEB_FILE.test(path) || path.endsWith('.test.js')) return reply.callNotFound();
    return reply.sendFile(path, webRoot);
  });
}
