/**
 * The centre's calendar: days and months as the people at the centre live them, in an IANA time
 * zone (`CENTINELA_TIME_ZONE`, default America/Mexico_City). Reports are cut on these days, so a
 * June report in Mexico City runs from 1 June 06:00 UTC, not 00:00 UTC. Pure: Intl only.
 */
export const DEFAULT_TIME_ZONE = 'America/Mexico_City';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** True when the runtime knows the zone (checked once, at start, by the config). */
export function isTimeZone(name: string): boolean {
  try {
    formatter(name);
    return true;
  } catch {
    return false;
  }
}

/** The wall-clock fields of instant `t` in the zone. */
export function wallClock(
  t: number,
  timeZone: string,
): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
  const parts = Object.fromEntries(
    formatter(timeZone)
      .formatToParts(new Date(t))
      .filter((p) => p.type !== 'literal')
      .map((p) => [p.type, Number(p.value)]),
  ) as Record<string, number>;
  return {
    year: parts.year ?? 0,
    month: parts.month ?? 1,
    day: parts.day ?? 1,
    hour: parts.hour ?? 0,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
  };
}

/** Offset of the zone from UTC at instant `t`, in ms (Mexico City: −6 h). */
function offsetAt(t: number, timeZone: string): number {
  const w = wallClock(t, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - (t - (t % 1000));
}

/**
 * The instant the zone's clocks read 00:00 on year-month-day (month 1–12; overflowing months and
 * days roll over as in Date.UTC). Where a clock change skips midnight, the first instant of the day.
 */
export function startOfDay(year: number, month: number, day: number, timeZone: string): number {
  const naive = Date.UTC(year, month - 1, day);
  // Two passes settle the offset on both sides of a daylight-saving change.
  let t = naive - offsetAt(naive, timeZone);
  t = naive - offsetAt(t, timeZone);
  const w = wallClock(t, timeZone);
  // Midnight skipped by a clock change: the day starts at the change.
  if (w.hour !== 0 && Date.UTC(w.year, w.month - 1, w.day) < naive) t += 3_600_000;
  return t;
}

/** Start of the month (in the zone) that contains `t`. */
export function startOfMonth(t: number, timeZone: string): number {
  const w = wallClock(t, timeZone);
  return startOfDay(w.year, w.month, 1, timeZone);
}

/** Start of the month after the one that contains `t`. */
export function startOfNextMonth(t: number, timeZone: string): number {
  const w = wallClock(t, timeZone);
  return startOfDay(w.year, w.month + 1, 1, timeZone);
}

/** `2026-06-01` read as the start of that day in the zone; a full date-time is taken as written. */
export function parseCentreDate(value: string, timeZone: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (m) return startOfDay(Number(m[1]), Number(m[2]), Number(m[3]), timeZone);
  return Date.parse(value);
}

/** Calendar months of the zone that cover `[from, to)`, each clipped to the period. */
export function monthSlices(from: number, to: number, timeZone: string): { month: string; from: number; to: number }[] {
  const out: { month: string; from: number; to: number }[] = [];
  let start = from;
  while (start < to) {
    const w = wallClock(start, timeZone);
    const next = startOfDay(w.year, w.month + 1, 1, timeZone);
    out.push({ month: `${w.year}-${String(w.month).padStart(2, '0')}`, from: start, to: Math.min(next, to) });
    start = next;
  }
  return out;
}
