import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import type { FastifyRequest } from 'fastify';
import { projectPath } from '../../platform/index.ts';
import { LANG_COOKIE, readCookie } from './http.ts';

export const WEB_DIR = pathToFileURL(`${projectPath('src', 'web')}/`);
export const LANGUAGES = ['es', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export type Messages = Record<string, string>;

/** The console's translations, the same files the browser loads: one source for every text. */
export async function loadMessages(): Promise<Record<Language, Messages>> {
  const read = async (lang: Language) => JSON.parse(await readFile(new URL(`i18n/${lang}.json`, WEB_DIR), 'utf8')) as Messages;
  return { es: await read('es'), en: await read('en') };
}

/** Spanish unless the person chose English (a cookie the language switch sets). */
export function languageOf(req: FastifyRequest, asked?: string): Language {
  const wanted = asked ?? readCookie(req, LANG_COOKIE);
  return wanted === 'en' ? 'en' : 'es';
}

export function translator(messages: Messages): (key: string, vars?: Record<string, string | number>) => string {
  return (key, vars) => (messages[key] ?? key).replace(/\{(\w+)\}/g, (_, name: string) => String(vars?.[name] ?? `{${name}}`));
}
