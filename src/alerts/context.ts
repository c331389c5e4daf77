import type { ActionPlan, PlanView } from '../domain/action-plan.ts';
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
  /**
   * New rows are on the outbox: sends them now instead of at the next poll (src/alerts/outbox/pump.ts).
   * Steps due later are run by the poll's full pass.
   */
  kick(): void;
  /**
   * Notes a failure of the store itself (full disk, database gone) and says whether it was one:
   * such a failure is logged once per episode by the store (issue 13), and the loops stop their
   * pass and try again at the next poll instead of falling back step by step.
   */
  storeFailed?: (err: unknown) => boolean;
  /** Issue 18 (src/alerts/action-plans/): the resolution gate, and the plan an alarm's detail and evidence carry. */
  actionPlans?: {
    /** The plans in force, by alarm kind. */
    readonly plans: ActionPlan[];
    /** Copies the plan onto the alarm in `tx` unless it has one (`alarm`: already read in `tx`). */
    ensure(alarmId: string, tx: Tx, alarm?: Alarm): Promise<void>;
    assertClosed(tx: Tx, alarm: Alarm, by: { id: string; via: string }): Promise<void>;
    view(alarmId: string): Promise<PlanView>;
  };
}

export const ENGINE_ACTOR = 'system:escalation';
