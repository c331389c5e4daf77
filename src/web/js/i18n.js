// Every visible text comes from i18n/<lang>.json. Spanish is the default; the choice is a
// cookie so the server-rendered login page speaks the same language.

const COOKIE = 'centinela_lang';
/** @type {Record<string, string>} */
let messages = {};
let current = 'es';

export function chosenLanguage() {
  const match = document.cookie
    .split(';')
    .map((c) => c.trim())
    .find((c) => c.startsWith(`${COOKIE}=`));
  return match?.slice(COOKIE.length + 1) === 'en' ? 'en' : 'es';
}

export async function loadMessages() {
  current = chosenLanguage();
  const res = await fetch(`/assets/i18n/${current}.json`, { credentials: 'same-origin' });
  if (!res.ok) throw new Error(`translations ${res.status}`);
  messages = await res.json();
  document.documentElement.lang = current;
}

export const lang = () => current;

/** Number and date formats: Mexico's (27,616.49 and 28/11/26), not Spain's, for Spanish. */
export const locale = () => (current === 'es' ? 'es-MX' : 'en');

/** @param {'es' | 'en'} next */
export function setLanguage(next) {
  // biome-ignore lint/suspicious/noDocumentCookie: the server reads this cookie to render the login page in the same language.
  document.cookie = `${COOKIE}=${next}; Path=/; Max-Age=31536000; SameSite=Strict`;
}

/**
 * @param {string} key
 * @param {Record<string, unknown>} [vars]
 */
export function t(key, vars) {
  const text = messages[key] ?? key;
  return vars ? text.replace(/\{(\w+)\}/g, (_, name) => (name in vars ? String(vars[name]) : `{${name}}`)) : text;
}

/** The codes that have a text under a prefix (`mxstate` → AGU, BCN…), in the order the texts list them. */
export const codesOf = (/** @type {string} */ prefix) =>
  Object.keys(messages)
    .filter((key) => key.startsWith(`${prefix}.`))
    .map((key) => key.slice(prefix.length + 1));

/** A translated label for a code (`state.open`), falling back to the code itself. */
export const label = (/** @type {string} */ prefix, /** @type {string | null | undefined} */ code) => {
  if (code === null || code === undefined || code === '') return t('common.none');
  const key = `${prefix}.${code}`;
  return key in messages ? messages[key] : code;
};
