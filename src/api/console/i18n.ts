import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import type { FastifyRequest } from 'fastify';
import { MEXICAN_STATES } from '../../domain/mexico.ts';
import { projectPath } from '../../platform/index.ts';
import { LANG_COOKIE, readCookie } from './http.ts';

export const WEB_DIR = pathToFileURL(`${projectPath('src', 'web')}/`);
export const LANGUAGES = ['es', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export type Messages = Record<string, string>;

/**
 * The names of Mexico's states as texts (`mxstate.GRO`), in the order src/domain/mexico.ts
 * lists them: that file owns them, and the browser's state pickers read them from here. Proper
 * nouns, the same in every language.
 */
const STATE_NAMES: Messages = Object.fromEntries(Object.entries(MEXICAN_STATES).map(([code, name]) => [`mxstate.${code}`, name]));

/**
 * The console's translations: the files of src/web/i18n plus the state names, one source for
 * every text. The browser loads exactly these (src/api/routes/console/assets.ts).
 */
export async function loadMessages(): Promise<Record<Language, Messages>> {
  const read = async (lang: Language) => JSON.parse(await readFile(new URL(`i18n/${lang}.json`, WEB_DIR), 'utf8')) as Messages;
  return { es: { ...(await read('es')), ...STATE_NAMES }, en: { ...(await read('en')), ...STATE_NAMES } };
}

/** Spanish unless the person chose English (a cookie the language switch sets). */
export function languageOf(req: FastifyRequest, asked?: string): Language {
  const wanted = asked ?? readCookie(req, LANG_COOKIE);
  return wanted === 'en' ? 'en' : 'es';
}

export function translator(messages: Messages): (key: string, vars?: Record<string, string | number>) => string {
  return (key, vars) => (messages[key] ?? key).replace(/\{(\w+)\}/g, (_, name: string) => String(vars?.[name] ?? `{${name}}`));
}
