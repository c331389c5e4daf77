/**
 * A supervisor's view of GET /api/stream (server-sent events): records, for the devices we care
 * about, each `device.state.changed` with the server's transition time and our arrival time.
 */
import http from 'node:http';

export interface StateChange {
  to: string;
  from: string;
  /** Server's transition time, ms. */
  at: number;
  /** When the event reached us, ms. */
  seenAt: number;
}

export interface StreamWatch {
  changes(deviceId: string): readonly StateChange[];
  /** Every device.state.changed seen, watched devices or not. */
  total(): number;
  close(): void;
}

/**
 * `onAlarm` hears the id of every alarm the stream mentions (notifications, escalations, state
 * changes), as an operator's console would.
 */
export function watchStream(
  httpUrl: string,
  token: string,
  watched: ReadonlySet<string>,
  onAlarm: (alarmId: string) => void = () => undefined,
): Promise<StreamWatch> {
  const log = new Map<string, StateChange[]>();
  let total = 0;
  return new Promise((resolve, reject) => {
    const req = http.get(`${httpUrl}/api/stream`, { headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' } }, (res) => {
      if (res.statusCode !== 200) {
        reject(new Error(`/api/stream answered ${res.statusCode}`));
        res.resume();
        return;
      }
      res.setEncoding('utf8');
      let buffer = '';
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let end = buffer.indexOf('\n\n');
        while (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          end = buffer.indexOf('\n\n');
          if (block.startsWith('event: alarm.') || block.startsWith('event: notification.')) {
            onAlarm((JSON.parse(block.slice(block.indexOf('data: ') + 6)) as { alarmId: string }).alarmId);
            continue;
          }
          if (!block.startsWith('event: device.state.changed')) continue;
          total++;
          const data = JSON.parse(block.slice(block.indexOf('data: ') + 6)) as { deviceId: string; from: string; to: string; at: number };
          if (!watched.has(data.deviceId)) continue;
          const list = log.get(data.deviceId) ?? [];
          list.push({ to: data.to, from: data.from, at: data.at, seenAt: Date.now() });
          log.set(data.deviceId, list);
        }
      });
      resolve({
        changes: (id) => log.get(id) ?? [],
        total: () => total,
        close: () => req.destroy(),
      });
    });
    req.on('error', (err) => reject(err));
  });
}
