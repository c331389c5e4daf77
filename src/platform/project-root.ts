import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder of Centinela's package.json. Shipped files (device catalogue, policies, templates,
 * the console) are found from here, so the same code finds them whether it runs from `src/`
 * through tsx or from the bundle in `dist/`.
 */
function findRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest) && (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name?: string }).name === 'centinela') return dir;
    if (path.dirname(dir) === dir) throw new Error(`cannot find Centinela's package.json above ${from}`);
  }
}

export const PROJECT_ROOT = findRoot(path.dirname(fileURLToPath(import.meta.url)));

/** A shipped file or folder, by its path in the repository. */
export const projectPath = (...parts: string[]): string => path.join(PROJECT_ROOT, ...parts);
