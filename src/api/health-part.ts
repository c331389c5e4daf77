import { CentinelaError } from '../domain/errors.ts';
import type { HealthApi } from '../health/index.ts';
import type { ApiDeps } from './deps.ts';

/** The running health part; absent only when the API runs without it (registry-only tests). */
export function healthOf(deps: ApiDeps): HealthApi {
  const health = deps.parts?.health as Partial<HealthApi> | undefined;
  if (!health?.fleet) throw new CentinelaError('CENTINELA_ERR_STORE_UNAVAILABLE', 'device health is not running in this process');
  return health as HealthApi;
}
