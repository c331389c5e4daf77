/** Garmin inReach IPC Outbound intake (issue 17 §3); the route authenticates, this decodes and stores. */
export interface InreachIntake {
  /** Constant-time check of the configured token. */
  authorised(token: string | undefined): boolean;
  /** Stores what a push carries; resolves once its alarms are durable (P1), then Garmin gets 200. */
  accept(body: unknown, receivedAt: number): Promise<{ accepted: number; ignored: number }>;
}
