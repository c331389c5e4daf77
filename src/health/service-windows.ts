import { CentinelaError, notFound } from '../domain/errors.ts';
import type { MaintenanceWindow } from '../domain/health.ts';
import type { Clock } from '../platform/index.ts';
import { type Actor, type Repositories, systemActor, type WriteQueue } from '../store/index.ts';
import { Agenda } from './agenda.ts';
import type { DeviceDirectory } from './device-directory.ts';
import type { Supervision } from './supervision.ts';

/** At most 4 h on test (the device's alarms run the whole path as `test` and page no one outside the centre). */
export const MAX_TEST_MS = 4 * 3_600_000;

export interface ServiceWindowDeps {
  supervision: Supervision;
  directory: DeviceDirectory;
  repos: Pick<Repositories, 'devices' | 'maintenance'>;
  writes: WriteQueue;
  clock: Clock;
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
    const until = this.deps.clock.now() + durationMs;
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
    const w = await this.deps.repos.maintenance.create(actor.id, { deviceId, startsAt, endsAt, reason }, this.deps.clock.now());
    this.schedule(w);
    return w;
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
