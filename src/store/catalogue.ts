import fs from 'node:fs/promises';
import path from 'node:path';
import { CentinelaError } from '../domain/errors.ts';
import { type DeviceModel, deviceModelSchema } from '../domain/registry.ts';
import { projectPath } from '../platform/project-root.ts';

export const DEFAULT_CATALOGUE_DIR = projectPath('devices', 'catalogue');

/** Reads and validates every `*.json` model in the catalogue folder; a bad file stops the start. */
export async function loadCatalogue(dir: string = DEFAULT_CATALOGUE_DIR): Promise<DeviceModel[]> {
  const files = (await fs.readdir(dir)).filter((f) => f.endsWith('.json')).sort();
  const models: DeviceModel[] = [];
  for (const file of files) {
    const full = path.join(dir, file);
    let raw: unknown;
    try {
      raw = JSON.parse(await fs.readFile(full, 'utf8'));
    } catch (err) {
      throw new CentinelaError('CENTINELA_ERR_CONFIG_INVALID', `device catalogue ${full}: not valid JSON (${(err as Error).message})`);
    }
    const parsed = deviceModelSchema.safeParse(raw);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`).join('; ');
      throw new CentinelaError('CENTINELA_ERR_CONFIG_INVALID', `device catalogue ${full}: ${issues}`);
    }
    models.push(parsed.data);
  }
  const ids = new Set<string>();
  for (const m of models) {
    if (ids.has(m.id)) throw new CentinelaError('CENTINELA_ERR_CONFIG_INVALID', `device catalogue ${dir}: model id ${m.id} appears twice`);
    ids.add(m.id);
  }
  return models;
}
