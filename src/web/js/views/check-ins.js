// Check-in timers (issue 18): a person about to go somewhere risky calls the centre; the operator
// finds them by alias, sets the minutes and the destination, and records their arrival when they
// call back. A timer that runs out raises a panic with the destination (src/alerts/check-in/).
// Operators and supervisors only (the API enforces it); every list the API returns here is an
// audited read (P6), and the address carries no alias (the search is typed, not linked).
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, api } from '../api.js';
import { seg } from '../dom.js';
import { clockTime, dateTime, since } from '../format.js';
import { html, render } from '../html.js';
import { t } from '../i18n.js';
import { onLive } from '../live.js';

/**
 * @typedef {{ id: string, beneficiaryId: string, alias: string, destination: string | null, dueAt: number,
 *   setVia: string, createdAt: number }} Running
 * @typedef {{ id: string, alias: string, stateCode: string, municipality: string | null }} Person
 * @typedef {{ minMinutes: number, maxMinutes: number, maxDestination: number }} Limits
 */

/** A fresh look at the list this often, beside the moments something is known to change. */
const REFRESH_MS = 60_000;

function CheckIns() {
  const [timers, setTimers] = useState(/** @type {Running[] | null} */ (null));
  const [limits, setLimits] = useState(/** @type {Limits | null} */ (null));
  const [now, setNow] = useState(Date.now());
  const [listError, setListError] = useState('');
  const [done, setDone] = useState('');

  // Loads overlap (the poll, live events, a timer just set): only the latest one asked for may
  // paint, or a slow answer from before a new timer would hide it until the next poll.
  const latest = useRef(0);
  const load = async () => {
    const asked = ++latest.current;
    try {
      /** @type {{ items: Running[], limits: Limits }} */
      const data = await api('/api/check-in-timers');
      if (asked !== latest.current) return;
      setTimers(data.items);
      setLimits(data.limits);
      setListError('');
    } catch (err) {
      if (asked === latest.current) setListError(t('common.error', { message: /** @type {Error} */ (err).message }));
    }
  };

  useEffect(() => {
    load();
    const tick = window.setInterval(() => setNow(Date.now()), 1000);
    const poll = window.setInterval(load, REFRESH_MS);
    // A missed check-in opens an alarm: the list changes with it.
    const off = onLive((m) => {
      if (m.event === 'resync' || m.event === 'alarm.opened') load();
    });
    return () => {
      window.clearInterval(tick);
      window.clearInterval(poll);
      off();
    };
  }, []);

  // When the soonest timer runs out, look again a moment later: the centre will have escalated it.
  const soonest = timers?.[0]?.dueAt;
  useEffect(() => {
    if (soonest === undefined) return undefined;
    const wait = window.setTimeout(load, Math.max(0, soonest - Date.now()) + 2000);
    return () => window.clearTimeout(wait);
  }, [soonest]);

  return html`<section class="panel check-ins" aria-labelledby="checkins-title">
    <div class="panel-head"><h1 id="checkins-title">${t('checkIns.title')}</h1></div>
    <p class="muted">${t('checkIns.intro')}</p>
    <p class="flash" role="status" id="checkins-done">${done}</p>
    ${
      limits
        ? html`<${NewTimer}
            limits=${limits}
            running=${timers ?? []}
            onStarted=${(/** @type {string} */ message) => {
              setDone(message);
              load();
            }}
          />`
        : null
    }
    <h2 id="checkins-running-title">${t('checkIns.runningTitle')}</h2>
    ${listError ? html`<p class="error" role="alert">${listError}</p>` : null}
    ${
      timers === null
        ? html`<p class="muted">${t('common.loading')}</p>`
        : html`<${RunningList}
            timers=${timers}
            now=${now}
            onCheckedIn=${(/** @type {string} */ message) => {
              setDone(message);
              load();
            }}
            onGone=${load}
          />`
    }
  </section>`;
}

/**
 * Find the person, then minutes and destination. What the API refuses is shown in the operator's
 * words and nothing is created: the form does not pre-empt the server (novalidate), so the
 * screen refuses exactly what the API refuses.
 * @param {{ limits: Limits, running: Running[], onStarted: (message: string) => void }} props
 */
function NewTimer({ limits, running, onStarted }) {
  const [query, setQuery] = useState('');
  const [found, setFound] = useState(/** @type {Person[] | null} */ (null));
  const [person, setPerson] = useState(/** @type {Person | null} */ (null));
  const [minutes, setMinutes] = useState('');
  const [destination, setDestination] = useState('');
  const [error, setError] = useState('');
  const [field, setField] = useState('');
  const minutesRef = useRef(/** @type {HTMLInputElement | null} */ (null));

  const search = async (/** @type {Event} */ e) => {
    e.preventDefault();
    setError('');
    setField('');
    if (query.trim().length < 2) {
      setField('alias');
      setError(t('checkIns.aliasTooShort'));
      return;
    }
    try {
      /** @type {{ items: Person[] }} */
      const data = await api(`/api/check-in-timers/people?${new URLSearchParams({ alias: query.trim() })}`);
      setFound(data.items);
    } catch (err) {
      setError(t('common.error', { message: /** @type {Error} */ (err).message }));
    }
  };

  const choose = (/** @type {Person} */ p) => {
    setPerson(p);
    setFound(null);
    setError('');
    setField('');
    // The next thing to type.
    window.setTimeout(() => minutesRef.current?.focus(), 0);
  };

  const refused = (/** @type {string} */ which) => {
    setField(which);
    if (which === 'minutes') setError(t('checkIns.error.minutes', { min: limits.minMinutes, max: limits.maxMinutes }));
    else setError(t('checkIns.error.destination', { max: limits.maxDestination }));
  };

  const start = async (/** @type {Event} */ e) => {
    e.preventDefault();
    setError('');
    setField('');
    if (!person) {
      setField('person');
      setError(t('checkIns.error.person'));
      return;
    }
    // Sent as typed (a number when it reads as one): the API is the judge of what is allowed.
    const typed = minutes.trim();
    const body = { minutes: typed === '' ? null : Number(typed), destination: destination.trim() };
    try {
      /** @type {{ dueAt: number }} */
      const timer = await api(`/api/beneficiaries/${seg(person.id)}/check-in-timers`, { method: 'POST', body });
      onStarted(t('checkIns.started', { alias: person.alias, time: clockTime(timer.dueAt) }));
      setPerson(null);
      setQuery('');
      setMinutes('');
      setDestination('');
    } catch (err) {
      const fields = err instanceof ApiError && Array.isArray(err.details.fields) ? err.details.fields : [];
      const first = fields.map(
        (/** @type {{ path: string }} */ f) =>
          String(f.path)
            .replace(/^body\./, '')
            .split('.')[0],
      );
      if (first.includes('minutes')) refused('minutes');
      else if (first.includes('destination')) refused('destination');
      else setError(err instanceof ApiError ? err.message : t('common.error', { message: /** @type {Error} */ (err).message }));
    }
  };

  const replacing = person ? running.find((r) => r.beneficiaryId === person.id) : undefined;
  const invalid = (/** @type {string} */ name) => (field === name ? 'true' : undefined);

  return html`<form class="check-in-form" id="checkin-form" novalidate aria-labelledby="checkins-new-title" onSubmit=${start}>
    <h2 id="checkins-new-title">${t('checkIns.setTitle')}</h2>
    ${
      person
        ? html`<p class="row" id="checkin-person">
            <strong>${t('checkIns.chosen', { alias: person.alias })}</strong>
            <span class="muted">${[person.municipality, person.stateCode].filter(Boolean).join(', ')}</span>
            <button type="button" class="ghost small" onClick=${() => setPerson(null)}>${t('checkIns.change')}</button>
          </p>`
        : html`<div class="history-form" role="search">
            <div class="field">
              <label for="checkin-alias">${t('checkIns.findAlias')}</label>
              <input
                id="checkin-alias"
                maxlength="80"
                autocomplete="off"
                aria-invalid=${invalid('alias') ?? invalid('person')}
                value=${query}
                onInput=${(/** @type {any} */ e) => setQuery(e.currentTarget.value)}
                onKeyDown=${(/** @type {KeyboardEvent} */ e) => {
                  if (e.key === 'Enter') search(e);
                }}
              />
            </div>
            <button type="button" onClick=${search}>${t('checkIns.find')}</button>
          </div>`
    }
    ${found === null || person ? null : people(found, choose)}
    ${replacing ? html`<p class="notice" id="checkin-replaces">${t('checkIns.replaces', { alias: replacing.alias })}</p>` : null}
    <div class="history-form">
      <div class="field">
        <label for="checkin-minutes">${t('checkIns.minutes')}</label>
        <input
          id="checkin-minutes"
          ref=${minutesRef}
          type="number"
          inputmode="numeric"
          min=${limits.minMinutes}
          max=${limits.maxMinutes}
          step="1"
          aria-describedby="checkin-minutes-hint"
          aria-invalid=${invalid('minutes')}
          value=${minutes}
          onInput=${(/** @type {any} */ e) => setMinutes(e.currentTarget.value)}
        />
        <span class="muted small" id="checkin-minutes-hint">${t('checkIns.minutesHint', { min: limits.minMinutes, max: limits.maxMinutes })}</span>
      </div>
      <div class="field wide">
        <label for="checkin-destination">${t('checkIns.destination')}</label>
        <input
          id="checkin-destination"
          maxlength=${limits.maxDestination}
          autocomplete="off"
          aria-describedby="checkin-destination-hint"
          aria-invalid=${invalid('destination')}
          value=${destination}
          onInput=${(/** @type {any} */ e) => setDestination(e.currentTarget.value)}
        />
        <span class="muted small" id="checkin-destination-hint">${t('checkIns.destinationHint')}</span>
      </div>
      <button type="submit" class="primary" id="checkin-start">${t('checkIns.start')}</button>
    </div>
    ${error ? html`<p class="error" role="alert" id="checkin-error">${error}</p>` : null}
  </form>`;
}

/** @param {Person[]} found @param {(p: Person) => void} choose */
function people(found, choose) {
  if (found.length === 0) return html`<p class="empty" id="checkin-people-empty">${t('checkIns.noneFound')}</p>`;
  return html`<ul class="check-in-people" id="checkin-people" aria-label=${t('checkIns.foundLabel')}>
    ${found.map(
      (p) => html`<li>
        <button type="button" class="small" aria-label=${t('checkIns.choose', { alias: p.alias })} onClick=${() => choose(p)}>
          ${t('checkIns.chooseShort')}
        </button>
        ${' '}<strong>${p.alias}</strong>${' '}
        <span class="muted">${[p.municipality, p.stateCode].filter(Boolean).join(', ')}</span>
      </li>`,
    )}
  </ul>`;
}

/**
 * The running timers with the time left. Recording an arrival stops the protection of that trip,
 * so it asks once more, naming the person.
 * @param {{ timers: Running[], now: number, onCheckedIn: (message: string) => void, onGone: () => void }} props
 */
function RunningList({ timers, now, onCheckedIn, onGone }) {
  const [confirming, setConfirming] = useState('');
  const [error, setError] = useState('');

  const checkIn = async (/** @type {Running} */ r) => {
    setError('');
    try {
      await api(`/api/check-in-timers/${seg(r.id)}/check-in`, { method: 'POST' });
      setConfirming('');
      onCheckedIn(t('checkIns.checkedIn', { alias: r.alias }));
    } catch (err) {
      setConfirming('');
      // 409: it ran out (and was escalated) or was closed by someone else a moment ago.
      setError(
        err instanceof ApiError && (err.status === 409 || err.status === 404)
          ? t('checkIns.gone', { alias: r.alias })
          : t('common.error', { message: /** @type {Error} */ (err).message }),
      );
      onGone();
    }
  };

  return html`${error ? html`<p class="error" role="alert" id="checkin-list-error">${error}</p>` : null}
    ${
      timers.length === 0
        ? html`<p class="empty" id="checkins-empty">${t('checkIns.none')}</p>`
        : html`<div class="table-wrap">
            <table class="grid check-in-table" id="checkins-running">
              <caption class="sr-only">${t('checkIns.caption')}</caption>
              <thead>
                <tr>
                  ${['person', 'destination', 'due', 'left', 'setVia', 'action'].map((k) => html`<th scope="col">${t(`checkIns.col.${k}`)}</th>`)}
                </tr>
              </thead>
              <tbody>
                ${timers.map((r) => {
                  const overdue = r.dueAt <= now;
                  return html`<tr data-timer-id=${r.id} class=${overdue ? 'is-overdue' : ''}>
                    <td class="alias">${r.alias}</td>
                    <td>${r.destination ?? t('checkIns.noDestination')}</td>
                    <td class="mono"><time datetime=${new Date(r.dueAt).toISOString()} title=${dateTime(r.dueAt)}>${clockTime(r.dueAt)}</time></td>
                    <td class="mono left">${overdue ? html`<strong class="error">${t('checkIns.overdue')}</strong>` : since(now, r.dueAt)}</td>
                    <td>${t(`checkIns.via.${r.setVia === 'sms' ? 'sms' : 'centre'}`)}</td>
                    <td>
                      ${
                        confirming === r.id
                          ? html`<span class="row">
                              <button type="button" class="primary small" onClick=${() => checkIn(r)}>
                                ${t('checkIns.confirm', { alias: r.alias })}
                              </button>
                              <button type="button" class="ghost small" aria-label=${t('checkIns.cancelFor', { alias: r.alias })} onClick=${() => setConfirming('')}>
                                ${t('alarm.cancel')}
                              </button>
                            </span>`
                          : html`<button
                              type="button"
                              class="small"
                              disabled=${overdue}
                              aria-label=${t('checkIns.checkInFor', { alias: r.alias })}
                              onClick=${() => setConfirming(r.id)}
                            >
                              ${t('checkIns.checkIn')}
                            </button>`
                      }
                    </td>
                  </tr>`;
                })}
              </tbody>
            </table>
          </div>`
    }`;
}

/** @param {HTMLElement} el */
export async function renderCheckIns(el) {
  el.replaceChildren();
  render(html`<${CheckIns} />`, el);
  return () => render(null, el);
}
