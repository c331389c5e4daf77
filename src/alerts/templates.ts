import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { CentinelaError } from '../domain/errors.ts';
import { projectPath } from '../platform/index.ts';
import { jsonFiles } from './data-files.ts';

export const DEFAULT_TEMPLATE_DIR = projectPath('src', 'alerts', 'templates');
export const DEFAULT_LANGUAGE = 'es';

const templateSchema = z.object({
  language: z.string().min(2),
  /** The `language` attribute of TwiML <Say> (es-MX, en-US…). */
  voiceLanguage: z.string().min(2),
  kinds: z.record(z.string(), z.string()),
  messages: z.record(z.string(), z.string()),
});
export type TemplateSet = z.infer<typeof templateSchema>;
export type MessageKey = string;

/**
 * Message templates, one data file per language: a centre adds a language (an indigenous one
 * for a community, say) by dropping a file here, without code. Missing keys fall back to Spanish.
 */
export class Templates {
  private constructor(private readonly sets: Map<string, TemplateSet>) {}

  /**
   * Issue 14 §9: a centre's folder (CENTINELA_TEMPLATE_DIR) ADDS languages to the shipped ones; a
   * centre's file for a shipped language overrides it.
   */
  static load(extraDir?: string, shippedDir: string = DEFAULT_TEMPLATE_DIR): Templates {
    const sets = new Map<string, TemplateSet>();
    const files = new Map<string, string>();
    let shippedKeys: string[] = [];
    for (const dir of extraDir && path.resolve(extraDir) !== path.resolve(shippedDir) ? [shippedDir, extraDir] : [shippedDir])
      for (const file of jsonFiles(dir, 'message templates')) {
        const where = path.join(dir, file);
        let raw: unknown;
        try {
          raw = JSON.parse(fs.readFileSync(where, 'utf8'));
        } catch (err) {
          throw new CentinelaError(
            'CENTINELA_ERR_CONFIG_INVALID',
            `message templates ${where}: not readable JSON (${(err as Error).message})`,
          );
        }
        const parsed = templateSchema.safeParse(raw);
        if (!parsed.success)
          throw new CentinelaError('CENTINELA_ERR_CONFIG_INVALID', `message templates ${where} are invalid: ${parsed.error.message}`);
        sets.set(parsed.data.language, parsed.data);
        files.set(parsed.data.language, where);
        if (dir === shippedDir && parsed.data.language === DEFAULT_LANGUAGE) shippedKeys = Object.keys(parsed.data.messages);
      }
    const fallback = sets.get(DEFAULT_LANGUAGE);
    if (!fallback) throw new CentinelaError('CENTINELA_ERR_CONFIG_INVALID', `message templates: ${DEFAULT_LANGUAGE}.json is required`);
    // Every other language falls back to Spanish key by key, and Spanish to nothing: a centre's
    // es.json missing a message would fail the page or SMS that needs it (P2), so it stops the start.
    const missing = shippedKeys.filter((key) => fallback.messages[key] === undefined);
    if (missing.length)
      throw new CentinelaError(
        'CENTINELA_ERR_CONFIG_INVALID',
        `message templates ${files.get(DEFAULT_LANGUAGE)} lack messages every language falls back to: ${missing.join(', ')}`,
      );
    return new Templates(sets);
  }

  /** The language actually used for a wish: `nah` falls back to Spanish until nah.json exists. */
  resolve(language: string | null | undefined): string {
    if (language && this.sets.has(language)) return language;
    const base = language?.split('-')[0];
    return base && this.sets.has(base) ? base : DEFAULT_LANGUAGE;
  }

  render(language: string, key: MessageKey, vars: Record<string, string | number>): string {
    const set = this.sets.get(this.resolve(language)) as TemplateSet;
    const text = set.messages[key] ?? this.fallback().messages[key];
    if (text === undefined) throw new Error(`message template ${key} is missing`);
    return text.replace(/\{(\w+)\}/g, (_m, name: string) => String(vars[name] ?? ''));
  }

  kindLabel(language: string, kind: string): string {
    const set = this.sets.get(this.resolve(language)) as TemplateSet;
    return set.kinds[kind] ?? this.fallback().kinds[kind] ?? kind;
  }

  voiceLanguage(language: string): string {
    return (this.sets.get(this.resolve(language)) as TemplateSet).voiceLanguage;
  }

  private fallback(): TemplateSet {
    return this.sets.get(DEFAULT_LANGUAGE) as TemplateSet;
  }
}
