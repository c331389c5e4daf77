/** Tables added by issue 15 (migration 017-hardening). Times are epoch milliseconds. */

/** One inbound reply (an SMS to the centre's number), remembered by the provider's message id. */
export interface InboundReplyTable {
  provider_id: string;
  channel: string;
  received_at: number;
  alarm_id: string | null;
  outcome: string;
}

export interface HardeningTables {
  inbound_replies: InboundReplyTable;
}
