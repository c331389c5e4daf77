export { type Clock, ManualClock, systemClock } from './clock.ts';
export { GroupCommit } from './group-commit.ts';
export { InFlight } from './in-flight.ts';
export { createLogger, type Logger, type LoggerConfig, REDACT_PATHS, scrubText } from './logger.ts';
export { createMetrics, type Metrics } from './metrics.ts';
export type { Part } from './part.ts';
export { PROJECT_ROOT, projectPath } from './project-root.ts';
export { generateCredential, hashDeviceSecret, hashSecret, hashToken, isCurrentDeviceHash, sha256Hex, verifySecret } from './secrets.ts';
export { Shutdown } from './shutdown.ts';
