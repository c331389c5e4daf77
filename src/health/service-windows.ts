import { CentinelaError, notFound } from '../domain/errors.ts';
import type { MaintenanceWindow } from '../domain/health.ts';
import type { Clock } from '../platform/index.ts';
import { type Actor, type Repositories, systemActor, type WriteQueue } from '../store/index.ts';
import { Agenda } from './agenda.ts';
import type { DeviceDirectory } from './device-directory.ts';
import type { Supervision } from './supervision.ts';

/** At most 4 h on test (the device's alarms run the whole path as `test` and page no one outside the centre). */
export const MAX_TEST_MS = 4 * 3_600_000;
/** Issue 15: the default longest maintenance window (CENTINELA_MAINTENANCE_MAX_H). */
export const DEFAULT_MAX_MAINTENANCE_MS = 72 * 3_600_000;
/** Issue 15: only a supervisor may keep a person out of protection beyond the limits. */
const mayExceedLimits = (actor: Actor) => actor.role === 'supervisor';
const hours = (ms: number) => Math.round((ms / 3_600_000) * 10) / 10;

export interface ServiceWindowDeps {
  supervision: Supervision;
  directory: DeviceDirectory;
  repos: Pick<Repositories, 'devices' | 'maintenance'>;
  writes: WriteQueue;
  clock: Clock;
  /** Longest maintenance window (merged with those it touches) without a supervisor. */
  maxMaintenanceMs?: number;
}

/**
 * Times a device is out of ordinary service: on test (bounded, returns to service by itself) and
 * planned maintenance (not in service, no deadlines run). Their starts and ends wait on an agenda
 * that the supervising node works through on each tick.
 */
export class ServiceWindows {
  private readonly agenda = new Agenda();

  constructor(private readonly deps: ServiceWindowDeps) {}

  /** On start: the windows still to start or end, and the tests still running. */
  async load(now: number): Promise<void> {
    for (const w of await this.deps.repos.maintenance.pending(now)) this.schedule(w);
    for (const d of this.deps.directory.all())
      if (d.onTestUntil !== null) this.agenda.add(d.onTestUntil, { kind: 'test_end', deviceId: d.id, until: d.onTestUntil });
  }

  /**
   * Applies what is due. A follower keeps its agenda for when it leads: maintenance inputs are
   * the leader's to apply, so only the supervising node calls this.
   */
  due(now: number): void {
    for (const item of this.agenda.due(now)) {
      if (item.kind === 'maintenance_start') this.deps.supervision.input(item.deviceId, { type: 'maintenance_started' }, now);
      else if (item.kind === 'maintenance_end') this.deps.supervision.input(item.deviceId, { type: 'maintenance_ended' }, now);
      else if (item.kind === 'test_end') this.deps.writes.enqueue('test end', () => this.endTest(item.deviceId, item.until));
    }
  }

  async putOnTest(actor: Actor, deviceId: string, durationMs: number): Promise<{ deviceId: string; onTestUntil: string }> {
    if (!(durationMs > 0 && durationMs <= MAX_TEST_MS)) {
      throw new CentinelaError('CENTINELA_ERR_VALIDATION', 'a device may be on test for at most 4 hours', { field: 'minutes' });
    }
    if (!(await this.deps.supervision.known(deviceId))) throw notFound('device', deviceId);
    const now = this.deps.clock.now();
    const until = now + durationMs;
    // Issue 15: renewals cannot keep a device on test for ever: the run as a whole is bounded too.
    const run = await this.deps.repos.devices.testRun(deviceId, now);
    if (run && until - run.since > MAX_TEST_MS && !mayExceedLimits(actor))
      throw new CentinelaError(
        'CENTINELA_ERR_AUTH_FORBIDDEN',
        `device ${deviceId} has been on test since ${new Date(run.since).toISOString()}; a test may run at most 4 hours in a row, renewing beyond that needs a supervisor`,
        { limitHours: 4, since: new Date(run.since).toISOString() },
      );
    await this.deps.repos.devices.setOnTest(actor, deviceId, until);
    await this.deps.directory.loadOne(deviceId);
    this.agenda.add(until, { kind: 'test_end', deviceId, until });
    return { deviceId, onTestUntil: new Date(until).toISOString() };
  }

  /** Records a window; returns once a window that starts now has taken effect. */
  async scheduleMaintenance(
    actor: Actor,
    deviceId: string,
    startsAt: number,
    endsAt: number,
    reason: string | null,
  ): Promise<MaintenanceWindow> {
    if (!(await this.deps.supervision.known(deviceId))) throw notFound('device', deviceId);
    if (!(endsAt > startsAt)) throw new CentinelaError('CENTINELA_ERR_VALIDATION', 'endsAt must be after startsAt', { field: 'endsAt' });
    const now = this.deps.clock.now();
    await this.checkMaintenanceLimit(actor, deviceId, startsAt, endsAt, now);
    const w = await this.deps.repos.maintenance.create(actor, { deviceId, startsAt, endsAt, reason }, now);
    this.schedule(w);
    return w;
  }

  /**
   * Issue 15: a window — merged with the device's windows it overlaps or touches, so that a chain
   * of renewals counts as one — may last at most the configured maximum unless a supervisor plans it.
   */
  private async checkMaintenanceLimit(actor: Actor, deviceId: string, startsAt: number, endsAt: number, now: number): Promise<void> {
    const max = this.deps.maxMaintenanceMs ?? DEFAULT_MAX_MAINTENANCE_MS;
    if (mayExceedLimits(actor)) return;
    let from = startsAt;
    let to = endsAt;
    for (const w of await this.deps.repos.maintenance.pendingFor(deviceId, now)) {
      if (w.startsAt <= to && w.endsAt >= from) {
        from = Math.min(from, w.startsAt);
        to = Math.max(to, w.endsAt);
      }
    }
    if (to - from > max)
      throw new CentinelaError(
        'CENTINELA_ERR_AUTH_FORBIDDEN',
        `a maintenance window may last at most ${hours(max)} hours (CENTINELA_MAINTENANCE_MAX_H)${to - from > endsAt - startsAt ? ' together with the windows it extends' : ''}; a longer one needs a supervisor`,
        { limitHours: hours(max), requestedHours: hours(to - from) },
      );
  }

  private schedule(w: MaintenanceWindow): void {
    this.agenda.add(w.startsAt, { kind: 'maintenance_start', deviceId: w.deviceId });
    this.agenda.add(w.endsAt, { kind: 'maintenance_end', deviceId: w.deviceId });
  }

  /** On test returns to service by itself, unless the test was extended meanwhile. */
  private async endTest(deviceId: string, until: number): Promise<void> {
    const view = await this.deps.repos.devices.intakeView(deviceId);
    if (view?.onTestUntil !== until) return;
    await this.deps.repos.devices.setOnTest(systemActor('health'), deviceId, null);
    await this.deps.directory.loadOne(deviceId);
  }
}
