import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** Files of the labs folder that can carry manifests (lab content, not the loader's source). */
export function labManifestFiles(labsDir: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      if (name === 'node_modules' || name.startsWith('.')) continue;
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) {
        if (!(dir === labsDir && name === 'src')) walk(full);
      } else if (/\.(ya?ml|sh|mdx)$/.test(name) && !(dir === labsDir && name === 'modules.yaml') && name !== 'lab.yaml') out.push(full);
    }
  };
  walk(labsDir);
  return out;
}
