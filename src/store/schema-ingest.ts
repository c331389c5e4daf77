/** Tables owned by src/ingest (migration 00x-ingest). */
// biome-ignore lint/suspicious/noEmptyInterface: filled as the part's tables are added
export interface IngestTables {}
