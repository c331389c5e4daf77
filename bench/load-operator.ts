/**
 * A stand-in for the operators on duty: acknowledges every alarm a little after it opens and
 * resolves it later, through the same API the console uses. Without it every alarm of the run
 * would stay open and page its supervisor and responder again every minute, a load no staffed
 * centre carries; with it, repeat presses after the resolution open new alarms, as they would.
 */
export interface OperatorBot {
  /** Hand it every alarm id the live stream mentions. */
  onAlarm(alarmId: string): void;
  stats(): { acknowledged: number; resolved: number; failed: number };
  stop(): void;
}

export function startOperatorBot(httpUrl: string, token: string, ackAfterMs = 15_000, resolveAfterMs = 45_000): OperatorBot {
  const seen = new Set<string>();
  const timers = new Set<NodeJS.Timeout>();
  const counts = { acknowledged: 0, resolved: 0, failed: 0 };
  const post = async (alarmId: string, action: string, body: object, counter: 'acknowledged' | 'resolved') => {
    const res = await fetch(`${httpUrl}/api/alarms/${alarmId}/${action}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }).catch(() => undefined);
    // 409: someone (a keypress, an SMS reply) got there first; that is not a failure of the run.
    if (res && (res.ok || res.status === 409)) counts[counter]++;
    else counts.failed++;
  };
  const later = (ms: number, fn: () => Promise<void>) => {
    const t = setTimeout(() => {
      timers.delete(t);
      void fn();
    }, ms);
    timers.add(t);
  };
  return {
    onAlarm: (alarmId) => {
      if (seen.has(alarmId)) return;
      seen.add(alarmId);
      later(ackAfterMs, () => post(alarmId, 'acknowledge', {}, 'acknowledged'));
      later(resolveAfterMs, () => post(alarmId, 'resolve', { outcome: 'false_alarm', note: 'load benchmark' }, 'resolved'));
    },
    stats: () => ({ ...counts }),
    stop: () => {
      for (const t of timers) clearTimeout(t);
      timers.clear();
    },
  };
}
