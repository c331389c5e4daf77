/** Tables owned by src/health (migration 00x-health). */
// biome-ignore lint/suspicious/noEmptyInterface: filled as the part's tables are added
export interface HealthTables {}
