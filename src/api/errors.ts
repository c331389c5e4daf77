import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { type CentinelaError, type ErrorCode, isCentinelaError } from '../domain/errors.ts';
import type { Logger } from '../platform/logger.ts';
import type { StoreHealth } from '../store/store-health.ts';

/** The only map from error codes to HTTP statuses. */
const STATUS: Record<ErrorCode, number> = {
  CENTINELA_ERR_CONFIG_INVALID: 500,
  CENTINELA_ERR_VALIDATION: 400,
  CENTINELA_ERR_AUTH_MISSING: 401,
  CENTINELA_ERR_AUTH_INVALID: 401,
  CENTINELA_ERR_AUTH_FORBIDDEN: 403,
  CENTINELA_ERR_NOT_FOUND: 404,
  CENTINELA_ERR_CONFLICT: 409,
  CENTINELA_ERR_STATE_CONFLICT: 409,
  CENTINELA_ERR_RATE_LIMITED: 429,
  CENTINELA_ERR_STORE_UNAVAILABLE: 503,
  CENTINELA_ERR_STORE_BAD_ROW: 500,
  CENTINELA_ERR_PORT_IN_USE: 500,
  CENTINELA_ERR_PROVIDER_UNAVAILABLE: 502,
  CENTINELA_ERR_PROVIDER_REJECTED: 502,
  CENTINELA_ERR_AUDIT_BROKEN: 500,
};

export interface ErrorEnvelope {
  error: { code: string; message: string; requestId: string; fields?: { path: string; message: string }[] };
}

export const statusOf = (code: ErrorCode): number => STATUS[code];

function envelope(req: FastifyRequest, code: string, message: string, fields?: ErrorEnvelope['error']['fields']): ErrorEnvelope {
  return { error: { code, message, requestId: String(req.id), ...(fields ? { fields } : {}) } };
}

export function sendError(req: FastifyRequest, reply: FastifyReply, err: CentinelaError): FastifyReply {
  return reply.code(STATUS[err.code]).send(envelope(req, err.code, err.message));
}

/**
 * One error handler for every route: catalogue errors keep their code, a store that cannot
 * commit (full disk, database gone) is a 503 with the reason — logged once per episode by the
 * store's health, not once per request — and bugs become a bare 500.
 */
export function errorHandler(logger: Logger, storeHealth?: Pick<StoreHealth, 'noteFailure'>) {
  return (err: FastifyError, req: FastifyRequest, reply: FastifyReply) => {
    if (hasZodFastifySchemaValidationErrors(err)) {
      const where = err.validationContext ?? 'body';
      const fields = err.validation.map((v) => {
        const path = [where, ...v.instancePath.split('/').filter(Boolean)].join('.');
        return { path, message: v.message ?? 'invalid' };
      });
      const message = `invalid request: ${fields.map((f) => `${f.path}: ${f.message}`).join('; ')}`;
      return reply.code(400).send(envelope(req, 'CENTINELA_ERR_VALIDATION', message, fields));
    }
    if (isCentinelaError(err)) {
      if (err.fault !== 'caller') logger.warn({ err, requestId: req.id }, 'request failed');
      return sendError(req, reply, err);
    }
    if (isResponseSerializationError(err)) {
      logger.error({ err, requestId: req.id, route: req.routeOptions.url }, 'response did not match its schema');
      return reply.code(500).send(envelope(req, 'CENTINELA_ERR_INTERNAL', 'internal error'));
    }
    // Fastify's own client errors (bad JSON, body too large, wrong content type).
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      return reply.code(err.statusCode).send(envelope(req, 'CENTINELA_ERR_VALIDATION', err.message));
    }
    const fault = storeHealth?.noteFailure(err);
    if (fault) return reply.code(503).send(envelope(req, 'CENTINELA_ERR_STORE_UNAVAILABLE', `try again later: ${fault.reason}`));
    logger.error({ err, requestId: req.id }, 'unexpected error');
    return reply.code(500).send(envelope(req, 'CENTINELA_ERR_INTERNAL', 'internal error'));
  };
}
