import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';

/** How /metrics is reached (issue 15, least privilege): README.md "Configuration". */
export interface MetricsAccess {
  /** CENTINELA_METRICS_TOKEN: the bearer token /metrics needs on the main port. */
  token: string | undefined;
  /** A separate metrics listener runs (CENTINELA_METRICS_PORT): the main port serves /metrics only with the token. */
  separateListener: boolean;
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;

/**
 * Whether a request may read /metrics on the main port. Live alarm counters are not public: with
 * a token configured, only a request bearing it; with a separate listener, none; with neither,
 * only a local scraper — a loopback peer whose request was not forwarded by a proxy.
 */
export function mayReadMetrics(access: MetricsAccess | undefined, req: FastifyRequest): 'yes' | 'no-token' | 'elsewhere' {
  if (access?.token) {
    const given = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? '';
    const a = Buffer.from(given);
    const b = Buffer.from(access.token);
    return a.length === b.length && timingSafeEqual(a, b) ? 'yes' : 'no-token';
  }
  if (access?.separateListener) return 'elsewhere';
  const forwarded = req.headers['x-forwarded-for'] !== undefined || req.headers.forwarded !== undefined;
  return LOOPBACK.test(req.socket.remoteAddress ?? '') && !forwarded ? 'yes' : 'no-token';
}
