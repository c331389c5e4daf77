import { timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { csrfTokenOf, SESSION_TTL_MS } from './sessions.ts';

export const CSRF_HEADER = 'x-centinela-csrf';
export const LANG_COOKIE = 'centinela_lang';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

const SECURE_COOKIE = '__Host-centinela_session';
const PLAIN_COOKIE = 'centinela_session';

/**
 * HTTPS as the browser sees it: TLS here, or an https page behind a TLS-terminating proxy (the
 * browser's Origin says so; X-Forwarded-Proto is not trusted, as the app sets trustProxy off).
 */
export function isHttps(req: FastifyRequest): boolean {
  const origin = req.headers.origin;
  return req.protocol === 'https' || (typeof origin === 'string' && origin.startsWith('https://'));
}

/**
 * Over HTTPS the cookie takes the `__Host-` prefix, which browsers accept only with Secure,
 * Path=/ and no Domain: it cannot be planted by a sibling sub-domain.
 */
export const sessionCookieName = (req: FastifyRequest): string => (isHttps(req) ? SECURE_COOKIE : PLAIN_COOKIE);

/** The session id the browser sent, under either name (a GET carries no Origin to tell). */
export const readSessionId = (req: FastifyRequest): string | undefined => readCookie(req, SECURE_COOKIE) ?? readCookie(req, PLAIN_COOKIE);

export function readCookie(req: FastifyRequest, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

export function setSessionCookie(req: FastifyRequest, reply: FastifyReply, id: string | null): void {
  const attrs = ['Path=/', 'HttpOnly', 'SameSite=Strict', ...(isHttps(req) ? ['Secure'] : [])];
  const value = id === null ? `=; Max-Age=0` : `=${id}; Max-Age=${Math.floor(SESSION_TTL_MS / 1000)}`;
  reply.header('set-cookie', `${sessionCookieName(req)}${value}; ${attrs.join('; ')}`);
}

/**
 * Whether a request comes from a page of this very origin. Browsers send Origin on every
 * cross-origin POST and Sec-Fetch-Site on every request, so a forged form or fetch from another
 * site fails one of the two. A client that sends neither is not a browser and cannot be a
 * CSRF victim.
 */
export function isSameOrigin(req: FastifyRequest): boolean {
  const site = req.headers['sec-fetch-site'];
  if (typeof site === 'string' && site !== 'same-origin' && site !== 'none') return false;
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  // Host only: behind a TLS-terminating proxy the scheme the app sees is http.
  try {
    return new URL(origin).host === req.host;
  } catch {
    return false;
  }
}

/** Cookie-authenticated requests that change state must prove they come from our page. */
export function passesCsrf(req: FastifyRequest, sessionId: string): boolean {
  if (SAFE_METHODS.has(req.method)) return true;
  if (!isSameOrigin(req)) return false;
  const given = req.headers[CSRF_HEADER];
  if (typeof given !== 'string') return false;
  const expected = Buffer.from(csrfTokenOf(sessionId));
  const actual = Buffer.from(given);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
