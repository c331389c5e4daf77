import type { PlanView } from '../domain/action-plan.ts';
import type { Policy } from '../domain/escalation.ts';
import type { EventBus } from '../events/index.ts';
import type { Clock, Logger } from '../platform/index.ts';
import type { Alarm, Repositories, Tx } from '../store/index.ts';
import type { AlertsMetrics } from './metrics.ts';
import type { StreamHub } from './stream-hub.ts';
import type { Templates } from './templates.ts';

/** What the pieces of the alerts part share; built once in index.ts. It holds no database. */
export interface AlertsContext {
  clock: Clock;
  logger: Logger;
  events: EventBus;
  repos: Repositories;
  templates: Templates;
  policies: Policy[];
  hub: StreamHub;
  metrics: AlertsMetrics;
  webhookConfigured: boolean;
  /** Runs the due-step and outbox loops now instead of at the next poll. */
  kick(): void;
  /**
   * Notes a failure of the store itself (full disk, database gone) and says whether it was one:
   * such a failure is logged once per episode by the store (issue 13), and the loops stop their
   * pass and try again at the next poll instead of falling back step by step.
   */
  storeFailed?: (err: unknown) => boolean;
  /** Issue 18 (src/alerts/action-plans/): the resolution gate, and the plan an alarm's detail and evidence carry. */
  actionPlans?: {
    assertClosed(tx: Tx, alarm: Alarm, by: { id: string; via: string }): Promise<void>;
    view(alarmId: string): Promise<PlanView>;
  };
}

export const ENGINE_ACTOR = 'system:escalation';
