import { locale, t } from './i18n.js';

const pad = (/** @type {number} */ n) => String(n).padStart(2, '0');

/** Time elapsed since `iso`, compact and readable at a glance: 0:42, 12:05, 3 h 04, 2 d 3 h. */
export function since(/** @type {string | number} */ iso, now = Date.now()) {
  const s = Math.max(0, Math.floor((now - new Date(iso).getTime()) / 1000));
  if (s < 3600) return `${Math.floor(s / 60)}:${pad(s % 60)}`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ${pad(Math.floor((s % 3600) / 60))}`;
  return `${Math.floor(s / 86400)} d ${Math.floor((s % 86400) / 3600)} h`;
}

export function dateTime(/** @type {string | number | null | undefined} */ v) {
  if (v === null || v === undefined) return t('common.none');
  return new Intl.DateTimeFormat(locale(), { dateStyle: 'short', timeStyle: 'medium', hourCycle: 'h23' }).format(new Date(v));
}

/** 24-hour clock, as operations rooms keep time (no a.m./p.m. to misread at 4 in the morning). */
export function clockTime(/** @type {string | number} */ v) {
  return new Intl.DateTimeFormat(locale(), { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).format(new Date(v));
}

export function number(/** @type {number | null | undefined} */ v, digits = 2) {
  if (v === null || v === undefined || Number.isNaN(v)) return t('common.none');
  return new Intl.NumberFormat(locale(), { maximumFractionDigits: digits }).format(v);
}

export function percent(/** @type {number | null | undefined} */ v) {
  if (v === null || v === undefined) return t('common.none');
  return new Intl.NumberFormat(locale(), { style: 'percent', maximumFractionDigits: 1 }).format(v);
}

export function duration(/** @type {number | null | undefined} */ ms) {
  if (ms === null || ms === undefined) return t('common.none');
  return since(0, ms);
}

/** Every element with data-since ticks once a second, wherever it is on the page. */
export function startTicking() {
  setInterval(() => {
    const now = Date.now();
    for (const el of document.querySelectorAll('[data-since]')) {
      const at = /** @type {HTMLElement} */ (el).dataset.since;
      if (at) el.textContent = since(at, now);
    }
  }, 1000);
}
