import { isDuressKind } from '../domain/duress.ts';
import type { EventBus } from '../events/index.ts';
import { type Clock, InFlight, type Logger, type Metrics, type Part } from '../platform/index.ts';
import type { Actor, Repositories } from '../store/index.ts';
import { ActionPlans } from './action-plans/action-plans.ts';
import { loadPlans } from './action-plans/load-plans.ts';
import { AlarmQueries } from './alarm-queries.ts';
import { CaseReviews } from './case-reviews.ts';
import { CheckIns } from './check-in/check-ins.ts';
import type { AlertsContext } from './context.ts';
import { noteDeviceCancellation } from './device-cancellation.ts';
import { escalateDuress } from './duress/escalate-duress.ts';
import { SecurityAnswers } from './duress/security-answers.ts';
import type { DispatchOutcome } from './escalation/dispatch.ts';
import { runDueSteps } from './escalation/due-steps.ts';
import { adoptPendingAlarms, notePress, openAlarm } from './escalation/open-alarm.ts';
import { loadPolicies } from './escalation/policies.ts';
import { wireSeizureSignals } from './escalation/seizure-signals.ts';
import { type EvidenceExport, exportEvidence } from './evidence.ts';
import { type ActedBy, applyTransition } from './lifecycle.ts';
import { createAlertsMetrics } from './metrics.ts';
import { createNotifiers } from './notifiers/create-notifiers.ts';
import type { TwilioInbound } from './notifiers/twilio-inbound.ts';
import { closeOfflineTask, openOfflineTask } from './offline-tasks.ts';
import { ProviderHealth, type ProviderStatus } from './outbox/provider-health.ts';
import { Pump } from './outbox/pump.ts';
import { DEFAULT_PAGING, OutboxSender, type PagingSettings } from './outbox/sender.ts';
import { StreamHub as Hub, type StreamHub } from './stream-hub.ts';
import { Templates } from './templates.ts';

export { type PlanStepsReport, type PlanStepsRow, planStepsReport } from './action-plans/skipped-report.ts';
export type { AlarmView, NotificationView, TimelineEntry } from './alarm-queries.ts';
export type { CaseReview } from './case-reviews.ts';
export type { DispatchOutcome } from './escalation/dispatch.ts';
export { loadPolicies, parsePolicy } from './escalation/policies.ts';
export { signWebhook, WEBHOOK_SIGNATURE_HEADER } from './notifiers/webhook.ts';
export type { ProviderStatus } from './outbox/provider-health.ts';
export type { StreamMessage } from './stream-hub.ts';

/** The slice of configuration alerts reads. */
export interface AlertsConfig {
  publicUrl: string;
  twilio: { accountSid: string; authToken: string; from: string; apiBase: string | undefined } | undefined;
  webhook: { url: string; secret: string | undefined } | undefined;
  /** Folders of escalation policies and message templates; default: the shipped ones. */
  policyDir?: string | undefined;
  templateDir?: string | undefined;
  /** Retries, timeouts and concurrency of the outbox (docs/paging.md); default: DEFAULT_PAGING. */
  paging?: PagingSettings | undefined;
  /** Folder of action plans (a centre's own in its `centre/` subfolder); default: the shipped ones. */
  planDir?: string | undefined;
}

export interface AlertsDeps {
  config: AlertsConfig;
  logger: Logger;
  clock: Clock;
  metrics: Metrics;
  repos: Repositories;
  events: EventBus;
  /** Notes a store failure and says whether it was one (logged once per episode, issue 13). */
  storeFailed?: (err: unknown) => boolean;
}

/** What the HTTP layer may ask of alerts. */
export interface AlertsApi {
  alarms: AlarmQueries;
  acknowledge(alarmId: string, by: ActedBy): Promise<unknown>;
  /** Says who was paged, or plainly that nobody was and why (issue 14 §6). */
  dispatch(alarmId: string, by: ActedBy, note?: string): Promise<{ dispatch?: DispatchOutcome }>;
  onScene(alarmId: string, by: ActedBy, note?: string): Promise<unknown>;
  resolve(alarmId: string, by: ActedBy, outcome: 'genuine' | 'false_alarm' | 'test' | 'technical', note?: string): Promise<unknown>;
  evidence(actor: Actor, alarmId: string): Promise<EvidenceExport>;
  caseReviews: CaseReviews;
  /** Issue 18: action plans worked on alarms. */
  plans: ActionPlans;
  /** Issue 18: security and duress answers. */
  securityAnswers: SecurityAnswers;
  /** Issue 18: check-in timers. */
  checkIns: CheckIns;
  stream: Pick<StreamHub, 'subscribe'>;
  /** Whether each paging provider is failing, since when, and who is still waiting (issue 13). */
  providers(): Promise<ProviderStatus[]>;
  /** Which channels have a carrier: the console warns while SMS or voice have none (issue 14 §1). */
  delivery: { sms: boolean; voice: boolean; webhook: boolean };
  /** Set when Twilio is configured: the routes check signatures with this token. */
  twilio:
    | {
        authToken: string;
        publicUrl: string;
        inbound: TwilioInbound;
        /** twilio.validateRequest: checks X-Twilio-Signature against the public URL and form. */
        validateRequest(authToken: string, signature: string, url: string, params: Record<string, string>): boolean;
      }
    | undefined;
  /** Runs due steps and the outbox now (tests with a manual clock). */
  kick(): void;
}

export type { ActedBy };

/** Starts the alarm lifecycle and escalation engine (issue 4). */
export async function startAlerts(deps: AlertsDeps): Promise<Part<AlertsApi>> {
  const logger = deps.logger.child({ part: 'alerts' });
  // Policies and templates are data, validated now: a bad file stops the start (issue 4 §2).
  const policies = loadPolicies(deps.config.policyDir);
  const templates = Templates.load(deps.config.templateDir);
  const plans = loadPlans(deps.config.planDir);
  const hub = new Hub();
  const publicUrl = deps.config.publicUrl.replace(/\/$/, '');
  let pump: Pump | undefined;
  const ctx: AlertsContext = {
    clock: deps.clock,
    logger,
    events: deps.events,
    repos: deps.repos,
    templates,
    policies,
    hub,
    metrics: createAlertsMetrics(deps.metrics),
    webhookConfigured: deps.config.webhook !== undefined,
    kick: () => pump?.kick('outbox'),
    ...(deps.storeFailed ? { storeFailed: deps.storeFailed } : {}),
  };

  const actionPlans = new ActionPlans(ctx, plans);
  const checkIns = new CheckIns(ctx);
  ctx.actionPlans = actionPlans;

  const { notifiers, twilio } = await createNotifiers({ ...deps.config, publicUrl }, hub);
  const twilioApi: AlertsApi['twilio'] = twilio && {
    authToken: twilio.authToken,
    publicUrl,
    inbound: new twilio.TwilioInbound(ctx, publicUrl),
    validateRequest: twilio.validateRequest,
  };

  const sender = new OutboxSender(ctx, notifiers, deps.config.paging ?? DEFAULT_PAGING);
  const providers = new ProviderHealth(deps.repos, deps.events);
  providers.register(deps.metrics);
  pump = new Pump(
    async (kind) => {
      if (kind === 'full') {
        await runDueSteps(ctx);
        // A failing check-in pass must not hold up the outbox (P1): it is logged and retried next pass.
        await checkIns.runDue().catch((err: unknown) => logger.error({ err }, 'check-in timers: expiry pass failed'));
      }
      // Starts the sends and returns: a slow provider holds its own slots, never this loop.
      await sender.pass();
      if (kind === 'full') ctx.metrics.due.set(await deps.repos.escalationSteps.pendingCount());
    },
    logger,
    undefined,
    deps.storeFailed,
  );

  const inFlight = new InFlight();
  const off = [
    ...hub.relay(deps.events),
    deps.events.on(
      'alarm.raised',
      inFlight.track(async (e) => {
        if (e.joined) await notePress(ctx, e.alarmId, e.pressCount, e.receivedAt);
        else {
          try {
            await openAlarm(ctx, e.alarmId);
          } finally {
            // Issue 18: a duress code from the device escalates silently (its ack reads as cancelled),
            // after the opening — one transaction after the other on the same alarm, never racing —
            // and even if the opening failed (P2).
            if (isDuressKind(e.kind)) await escalateDuress(ctx, e.alarmId, 'device', 'device');
          }
          // Shown to operators beside the receive time that replaced it (issue 13); after the paging starts.
          if (e.deviceTime !== undefined) await deps.repos.alarms.noteDeviceTime(e.alarmId, e.deviceTime, e.receivedAt);
        }
      }),
    ),
    // The seizure rule's signals (tamper, power loss, confirmed silence, a satellite phone's missed check-in).
    ...wireSeizureSignals(ctx, deps.events),
    deps.events.on(
      'device.silent',
      inFlight.track(async (e) => {
        await openOfflineTask(ctx, e.deviceId, e.beneficiaryId, e.at);
      }),
    ),
    deps.events.on('device.recovered', (e) => closeOfflineTask(ctx, e.deviceId)),
    deps.events.on('device.event.received', async (e) => {
      if (e.kind === 'sos_cancelled') await noteDeviceCancellation(ctx, e.deviceId, e.receivedAt, e.detail ?? null);
    }),
  ];

  // P1: the engine rebuilds from the database — alarms raised just before a crash are adopted,
  // and due steps (late by the downtime) fire on the first pass.
  const adopted = await adoptPendingAlarms(ctx);
  pump.start();
  logger.info(
    {
      policies: policies.map((p) => p.name),
      adopted,
      sms: twilio ? 'twilio' : 'console outbox',
      voice: twilio ? 'twilio' : 'console outbox',
      webhook: deps.config.webhook ? 'configured' : 'off',
    },
    twilio ? 'alerts started' : 'alerts started: Twilio not configured, SMS and voice notifications go to the console outbox',
  );

  const alarms = new AlarmQueries(ctx);
  const api: AlertsApi = {
    alarms,
    acknowledge: (id, by) => applyTransition(ctx, id, { type: 'acknowledge' }, by),
    dispatch: (id, by, note) => applyTransition(ctx, id, { type: 'dispatch' }, by, note),
    onScene: (id, by, note) => applyTransition(ctx, id, { type: 'on_scene' }, by, note),
    resolve: (id, by, outcome, note) => applyTransition(ctx, id, { type: 'resolve', outcome }, by, note),
    evidence: (actor, id) => exportEvidence(ctx, alarms, actor, id),
    caseReviews: new CaseReviews(ctx),
    plans: actionPlans,
    securityAnswers: new SecurityAnswers(ctx),
    checkIns,
    stream: hub,
    providers: () => providers.status(),
    delivery: { sms: twilio !== undefined, voice: twilio !== undefined, webhook: deps.config.webhook !== undefined },
    twilio: twilioApi,
    kick: () => pump?.kick(),
  };
  return {
    name: 'alerts',
    api,
    readiness: { escalation: () => pump !== undefined },
    stop: async () => {
      for (const f of off) f();
      // An alarm announced before the stop has its escalation started before the store closes.
      await inFlight.settled();
      providers.off();
      await pump?.stop();
      await sender.idle();
    },
  };
}
