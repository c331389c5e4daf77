import { ackDownlinkSchema, configDownlinkSchema } from '../domain/wire.ts';
import type { EventBus } from '../events/index.ts';
import type { Logger } from '../platform/index.ts';
import { downlinkTopic } from './topics.ts';

export type PublishFn = (topic: string, payload: Buffer, retain: boolean) => Promise<void>;

/**
 * Delivers `downlink.requested` to the device at QoS 1: acknowledgement states on `/ack`, and
 * configuration on `/config` (retained, so a device that reconnects gets its latest settings).
 */
export function wireDownlink(events: EventBus, publish: PublishFn, logger: Logger): () => void {
  return events.on('downlink.requested', async ({ deviceId, topic, payload, retain }) => {
    const checked = topic === 'ack' ? ackDownlinkSchema.safeParse(payload) : configDownlinkSchema.safeParse(payload);
    if (!checked.success) {
      logger.error(
        { deviceId, topic, issues: checked.error.issues.map((i) => i.path.join('.')) },
        'downlink does not match the wire contract; not sent',
      );
      return;
    }
    try {
      await publish(downlinkTopic(deviceId, topic), Buffer.from(JSON.stringify(checked.data)), retain || topic === 'config');
    } catch (err) {
      logger.warn({ err, deviceId, topic }, 'downlink could not be published');
    }
  });
}
