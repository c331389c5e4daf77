/** A started part of Centinela: something the composition root can stop. */
export interface Part<Api = unknown> {
  name: string;
  /** What the HTTP layer may call on this part. */
  api: Api;
  /** Readiness checks this part contributes to /readyz. */
  readiness?: Record<string, () => boolean | Promise<boolean>>;
  stop(): Promise<void>;
}
