import type { FastifyReply } from 'fastify';
import type { Language } from './i18n.ts';
import { IMPORT_MAP_CSP_HASH, IMPORT_MAP_JSON } from './vendor.ts';

/**
 * No inline script or style anywhere: everything comes from /assets on this origin, except the
 * import map, allowed by its hash. Scripts may set element styles through the DOM (uPlot sizes
 * its canvas that way, Leaflet places its layers), which CSP allows. Map tiles may come from the
 * one origin of CENTINELA_MAP_TILE_URL, when it is set.
 */
export function contentSecurityPolicy(mapTileUrl?: string): string {
  const tiles = mapTileUrl ? ` ${new URL(mapTileUrl.replace(/[{}]/g, '')).origin}` : '';
  return [
    "default-src 'none'",
    `script-src 'self' ${IMPORT_MAP_CSP_HASH}`,
    "style-src 'self'",
    `img-src 'self' data:${tiles}`,
    "connect-src 'self'",
    "font-src 'self'",
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
export const CONTENT_SECURITY_POLICY = contentSecurityPolicy();

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

/** Headers of every console page: strict CSP, no framing, no caching, no referrer to other sites. */
export function pageHeaders(reply: FastifyReply, mapTileUrl?: string): FastifyReply {
  return (
    reply
      .header('content-security-policy', contentSecurityPolicy(mapTileUrl))
      .header('x-content-type-options', 'nosniff')
      .header('x-frame-options', 'DENY')
      // same-origin, not no-referrer: with no-referrer Chromium sends `Origin: null` on our own form posts.
      .header('referrer-policy', 'same-origin')
      .header('cache-control', 'no-store')
      .header('permissions-policy', 'camera=(), microphone=(), geolocation=()')
      .type('text/html; charset=utf-8')
  );
}

const head = (lang: Language, title: string) =>
  `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="dark">
<title>${escapeHtml(title)}</title>
<link rel="icon" href="/assets/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/assets/css/base.css">`;

/** The console shell: no data at all until the API answers for the session's own user. */
export function shellPage(lang: Language, t: (k: string) => string, mapTileUrl?: string): string {
  const tiles = mapTileUrl ? `\n<meta name="centinela-map-tiles" content="${escapeHtml(mapTileUrl)}">` : '';
  return `${head(lang, t('app.name'))}${tiles}
<link rel="stylesheet" href="/assets/vendor/uPlot.min.css">
<link rel="stylesheet" href="/assets/vendor/leaflet/leaflet.css">
<link rel="stylesheet" href="/assets/css/layout.css">
<link rel="stylesheet" href="/assets/css/views.css">
<link rel="stylesheet" href="/assets/css/admin.css">
<link rel="stylesheet" href="/assets/css/operator.css">
<script type="importmap">${IMPORT_MAP_JSON}</script>
<script type="module" src="/assets/js/main.js"></script>
</head>
<body>
<div id="app"><p class="boot">${escapeHtml(t('app.loading'))}</p></div>
<noscript><p class="boot">${escapeHtml(t('app.noscript'))}</p></noscript>
</body>
</html>
`;
}

export interface LoginView {
  username?: string;
  error?: string;
}

/** The login form works without JavaScript: a plain POST, answered with a redirect or this page. */
export function loginPage(lang: Language, t: (k: string) => string, view: LoginView = {}): string {
  const other: Language = lang === 'es' ? 'en' : 'es';
  const error = view.error
    ? `<p class="login-error" role="alert" id="login-error">${escapeHtml(view.error)}</p>`
    : '<p class="login-error" role="alert" id="login-error" hidden></p>';
  const described = view.error ? ' aria-describedby="login-error" aria-invalid="true"' : '';
  return `${head(lang, `${t('login.title')} · ${t('app.name')}`)}
</head>
<body class="login-body">
<main class="login">
<h1 class="brand"><span class="brand-mark" aria-hidden="true"></span>${escapeHtml(t('app.name'))}</h1>
<p class="login-subtitle">${escapeHtml(t('login.subtitle'))}</p>
<form method="post" action="/login" class="login-form">
<label for="username">${escapeHtml(t('login.username'))}</label>
<input id="username" name="username" autocomplete="username" autocapitalize="none" spellcheck="false" required maxlength="40" value="${escapeHtml(view.username ?? '')}"${view.username ? '' : ' autofocus'}>
<label for="password">${escapeHtml(t('login.password'))}</label>
<input id="password" name="password" type="password" autocomplete="current-password" required maxlength="200"${described}${view.username ? ' autofocus' : ''}>
${error}
<button type="submit" class="primary">${escapeHtml(t('login.submit'))}</button>
</form>
<p class="lang-switch"><a href="/login?lang=${other}" lang="${other}" hreflang="${other}">${escapeHtml(t('lang.other'))}</a></p>
</main>
</body>
</html>
`;
}
