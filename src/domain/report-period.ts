import { parseCentreDate, startOfMonth, startOfNextMonth } from './calendar.ts';
import { CentinelaError } from './errors.ts';

const MAX_SPAN_MS = 3 * 366 * 86_400_000;

export interface PeriodRequest {
  /** `2026-06-01` (the start of that day in the centre's zone) or an ISO-8601 date-time. */
  from?: string | undefined;
  to?: string | undefined;
}

/**
 * The period a report covers, checked once for the API and the CLI. Defaults: from the first of
 * the centre's current month to now. An inverted range, or one that starts after now, is refused
 * with a message saying so (never answered as "suppressed"). `wholeMonths` (analysts) widens the
 * period to whole months of the centre, the cut suppression is decided on
 * (src/domain/reports-suppression.ts).
 */
export function reportPeriod(
  q: PeriodRequest,
  now: number,
  timeZone: string,
  options: { wholeMonths: boolean; fieldPrefix?: string; defaultFrom?: number } = { wholeMonths: false },
): { from: number; to: number } {
  const name = (f: string) => `${options.fieldPrefix ?? 'query.'}${f}`;
  const parse = (field: 'from' | 'to', value: string) => {
    const t = parseCentreDate(value, timeZone);
    if (!Number.isFinite(t))
      throw new CentinelaError('CENTINELA_ERR_VALIDATION', `${name(field)}: expected a date (2026-06-01) or an ISO-8601 date-time`, {
        field,
      });
    return t;
  };
  let from = q.from ? parse('from', q.from) : (options.defaultFrom ?? startOfMonth(now, timeZone));
  let to = q.to ? parse('to', q.to) : now;
  if (from >= now)
    throw new CentinelaError('CENTINELA_ERR_VALIDATION', `${name('from')} is in the future: there is no data for that period yet`, {
      field: 'from',
    });
  if (!(to > from)) throw new CentinelaError('CENTINELA_ERR_VALIDATION', `${name('to')} must be after ${name('from')}`, { field: 'to' });
  if (options.wholeMonths) {
    from = startOfMonth(from, timeZone);
    if (startOfMonth(to, timeZone) !== to) to = startOfNextMonth(to, timeZone);
  }
  if (to - from > MAX_SPAN_MS)
    throw new CentinelaError('CENTINELA_ERR_VALIDATION', 'a report covers at most three years', { field: 'from' });
  return { from, to };
}
