import { CentinelaError } from '../domain/errors.ts';
import type { IngestApi } from '../ingest/index.ts';
import type { ApiDeps } from './deps.ts';

/** The running ingest part, or a clear 503 when this app was built without it. */
export function ingestOf(deps: ApiDeps): IngestApi {
  const ingest = deps.parts?.ingest;
  if (!ingest) throw new CentinelaError('CENTINELA_ERR_STORE_UNAVAILABLE', 'MQTT intake is not running');
  return ingest;
}
