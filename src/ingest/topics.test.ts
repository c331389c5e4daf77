import { describe, expect, it } from 'vitest';
import { authorizeDownlinkSubscription, authorizeUplink, type Principal, parseDeviceTopic } from './topics.ts';

const device: Principal = { kind: 'device', id: 'pb-1' };
const gateway: Principal = { kind: 'gateway', id: 'gw-1', devices: new Set(['sat-1', 'sat-2']) };

describe('the topic ACL', () => {
  it('lets a device publish its own uplinks only', () => {
    expect(authorizeUplink(device, 'v1/devices/pb-1/alarm')).toEqual({ ok: true, deviceId: 'pb-1', kind: 'alarm' });
    expect(authorizeUplink(device, 'v1/devices/pb-2/alarm')).toMatchObject({ ok: false, reason: 'foreign_device_topic' });
    expect(authorizeUplink(device, 'v1/devices/pb-1/ack')).toMatchObject({ ok: false, reason: 'not_an_uplink' });
    expect(authorizeUplink(device, 'v1/devices/pb-1/alarm/extra')).toMatchObject({ ok: false, reason: 'topic_outside_contract' });
    expect(authorizeUplink(device, 'other/pb-1')).toMatchObject({ ok: false });
  });

  it('lets a gateway publish for the devices listed on it and no others', () => {
    expect(authorizeUplink(gateway, 'v1/devices/sat-2/heartbeat')).toMatchObject({ ok: true, deviceId: 'sat-2' });
    expect(authorizeUplink(gateway, 'v1/devices/pb-1/alarm')).toMatchObject({ ok: false });
  });

  it('lets a device subscribe only to its own downlinks, without wildcards', () => {
    expect(authorizeDownlinkSubscription(device, 'v1/devices/pb-1/ack')).toBe(true);
    expect(authorizeDownlinkSubscription(device, 'v1/devices/pb-1/config')).toBe(true);
    expect(authorizeDownlinkSubscription(device, 'v1/devices/pb-2/ack')).toBe(false);
    expect(authorizeDownlinkSubscription(device, 'v1/devices/+/ack')).toBe(false);
    expect(authorizeDownlinkSubscription(device, 'v1/devices/pb-1/#')).toBe(false);
    expect(authorizeDownlinkSubscription(device, 'v1/devices/pb-1/alarm')).toBe(false);
  });

  it('reads device ids out of topics', () => {
    expect(parseDeviceTopic('v1/devices/x/status')).toEqual({ deviceId: 'x', kind: 'status' });
    expect(parseDeviceTopic('v1/devices//status')).toBeUndefined();
  });
});
