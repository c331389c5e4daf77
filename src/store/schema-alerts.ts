/** Tables owned by src/alerts (migration 00x-alerts). */
// biome-ignore lint/suspicious/noEmptyInterface: filled as the part's tables are added
export interface AlertsTables {}
