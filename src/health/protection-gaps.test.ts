import { describe, expect, it } from 'vitest';
import type { SupervisedDevice } from '../domain/health.ts';
import type { LivenessState } from '../domain/liveness.ts';
import type { Repositories } from '../store/index.ts';
import { DeviceDirectory } from './device-directory.ts';
import { ProtectionGaps } from './protection-gaps.ts';

const HOUR = 3_600_000;

const device = (id: string, beneficiaryId: string | null, alarmCapable = true): SupervisedDevice => ({
  id,
  modelId: alarmCapable ? 'panic-button' : 'camera',
  kind: alarmCapable ? 'panic_button' : 'camera',
  beneficiaryId,
  stateCode: 'OAX',
  alarmCapable,
  testIntervalDays: 30,
  installedAt: 0,
  retiredAt: null,
  onTestUntil: null,
  heartbeatIntervalS: 60,
  offlineAfterS: 180,
  updatedAt: 1,
});

/** The registry of a few devices, read once, as the directory would read it. */
async function directoryOf(devices: SupervisedDevice[]): Promise<DeviceDirectory> {
  const registry = {
    changedSince: async () => ({ devices, next: { updatedAt: 1, id: 'z' }, rows: devices.length }),
    one: async (id: string) => devices.find((d) => d.id === id),
  } as unknown as Repositories['supervisedDevices'];
  const directory = new DeviceDirectory(registry);
  await directory.sync();
  return directory;
}

describe('protection gaps', () => {
  it('a beneficiary whose only button goes offline is in a gap, which closes with its duration when it is back', async () => {
    const gaps = new ProtectionGaps(await directoryOf([device('btn-1', 'ben-1')]));
    const states = new Map<string, LivenessState>([['btn-1', 'offline']]);
    expect(gaps.evaluate('ben-1', (id) => states.get(id), 10 * HOUR)).toBe('opened');
    expect(gaps.evaluate('ben-1', (id) => states.get(id), 11 * HOUR)).toBeNull();
    states.set('btn-1', 'online');
    expect(gaps.evaluate('ben-1', (id) => states.get(id), 13 * HOUR)).toEqual({ closed: 3 * HOUR });
  });

  it('a second working alarm path means no gap; the gap opens when both are offline', async () => {
    const gaps = new ProtectionGaps(await directoryOf([device('btn-1', 'ben-1'), device('phone-1', 'ben-1')]));
    const states = new Map<string, LivenessState>([
      ['btn-1', 'offline'],
      ['phone-1', 'late'],
    ]);
    expect(gaps.evaluate('ben-1', (id) => states.get(id), HOUR)).toBeNull();
    states.set('phone-1', 'offline');
    expect(gaps.evaluate('ben-1', (id) => states.get(id), 2 * HOUR)).toBe('opened');
  });

  it('a camera is not an alarm path: an online camera does not close the gap of an offline button', async () => {
    const gaps = new ProtectionGaps(await directoryOf([device('btn-1', 'ben-1'), device('cam-1', 'ben-1', false)]));
    const states = new Map<string, LivenessState>([
      ['btn-1', 'offline'],
      ['cam-1', 'online'],
    ]);
    expect(gaps.evaluate('ben-1', (id) => states.get(id), HOUR)).toBe('opened');
  });

  it('maintenance and never-seen devices are not offline, and a retired device no longer counts', async () => {
    const gaps = new ProtectionGaps(await directoryOf([device('btn-1', 'ben-1'), device('btn-2', 'ben-1')]));
    const states = new Map<string, LivenessState>([
      ['btn-1', 'offline'],
      ['btn-2', 'maintenance'],
    ]);
    expect(gaps.evaluate('ben-1', (id) => states.get(id), HOUR)).toBeNull();
    states.set('btn-2', 'never_seen');
    expect(gaps.evaluate('ben-1', (id) => states.get(id), HOUR)).toBeNull();
    states.set('btn-2', 'retired');
    expect(gaps.evaluate('ben-1', (id) => states.get(id), 2 * HOUR)).toBe('opened');
  });

  it('a gap still open at a restart closes with its whole duration', async () => {
    const gaps = new ProtectionGaps(await directoryOf([device('btn-1', 'ben-1')]));
    gaps.restore(new Map([['ben-1', 5 * HOUR]]));
    expect(gaps.evaluate('ben-1', () => 'offline', 6 * HOUR)).toBeNull();
    expect(gaps.evaluate('ben-1', () => 'online', 8 * HOUR)).toEqual({ closed: 3 * HOUR });
  });
});
