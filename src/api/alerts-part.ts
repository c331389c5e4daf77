import type { AlertsApi } from '../alerts/index.ts';
import { CentinelaError } from '../domain/errors.ts';
import type { ApiDeps } from './deps.ts';

/** The running alerts part, or a clear 503 when this app was built without it. */
export function alertsOf(deps: ApiDeps): AlertsApi {
  const alerts = deps.parts?.alerts;
  if (!alerts || !('alarms' in alerts)) throw new CentinelaError('CENTINELA_ERR_STORE_UNAVAILABLE', 'the alerts engine is not running');
  return alerts;
}
