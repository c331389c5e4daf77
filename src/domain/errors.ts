/**
 * The one catalogue of Centinela's coded errors. Each code says whose fault it is and whether
 * retrying can help; `src/api/errors.ts` is the only place that maps codes to HTTP statuses.
 */
export const ERRORS = {
  CENTINELA_ERR_CONFIG_INVALID: { fault: 'caller', retryable: false },
  CENTINELA_ERR_VALIDATION: { fault: 'caller', retryable: false },
  CENTINELA_ERR_AUTH_MISSING: { fault: 'caller', retryable: false },
  CENTINELA_ERR_AUTH_INVALID: { fault: 'caller', retryable: false },
  CENTINELA_ERR_AUTH_FORBIDDEN: { fault: 'caller', retryable: false },
  CENTINELA_ERR_NOT_FOUND: { fault: 'caller', retryable: false },
  CENTINELA_ERR_CONFLICT: { fault: 'caller', retryable: false },
  CENTINELA_ERR_STATE_CONFLICT: { fault: 'caller', retryable: false },
  CENTINELA_ERR_RATE_LIMITED: { fault: 'caller', retryable: true },
  CENTINELA_ERR_STORE_UNAVAILABLE: { fault: 'ours', retryable: true },
  /** A stored row does not match its domain type (unknown state, corrupt JSON): named by table, id and field. */
  CENTINELA_ERR_STORE_BAD_ROW: { fault: 'ours', retryable: false },
  CENTINELA_ERR_PORT_IN_USE: { fault: 'caller', retryable: false },
  CENTINELA_ERR_PROVIDER_UNAVAILABLE: { fault: 'provider', retryable: true },
  CENTINELA_ERR_PROVIDER_REJECTED: { fault: 'provider', retryable: false },
  CENTINELA_ERR_AUDIT_BROKEN: { fault: 'ours', retryable: false },
} as const satisfies Record<string, { fault: 'caller' | 'ours' | 'provider'; retryable: boolean }>;

export type ErrorCode = keyof typeof ERRORS;

export class CentinelaError extends Error {
  readonly code: ErrorCode;
  readonly fault: 'caller' | 'ours' | 'provider';
  readonly retryable: boolean;
  /** Structured detail safe to show the caller (never personal data). */
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>, options?: ErrorOptions) {
    super(message, options);
    this.name = 'CentinelaError';
    this.code = code;
    this.fault = ERRORS[code].fault;
    this.retryable = ERRORS[code].retryable;
    this.details = details;
  }
}

export const notFound = (what: string, id: string) =>
  new CentinelaError('CENTINELA_ERR_NOT_FOUND', `${what} ${JSON.stringify(id)} does not exist`, { what, id });

export const conflict = (what: string, id: string) =>
  new CentinelaError('CENTINELA_ERR_CONFLICT', `${what} ${JSON.stringify(id)} already exists`, { what, id });

export const isCentinelaError = (e: unknown): e is CentinelaError => e instanceof CentinelaError;
