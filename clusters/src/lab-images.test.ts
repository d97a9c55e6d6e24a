import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defaultLabsDir } from '@istio-workshop/labs';
import { describe, expect, it } from 'vitest';
import { preloadImages } from './cluster-manifests';

/** Every text file under labs/ that can start a pod: scripts, lessons and any YAML beside them. */
function labFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const file = path.join(dir, name);
    if (name === 'node_modules' || name === 'src' || name.startsWith('.')) continue;
    if (statSync(file).isDirectory()) out.push(...labFiles(file));
    else if (/\.(sh|mdx|ya?ml)$/.test(name)) out.push(file);
  }
  return out;
}

/** `image: x` in manifests and `--image x` / `--image=x` on kubectl command lines. */
function imagesIn(text: string): string[] {
  const found = new Set<string>();
  for (const m of text.matchAll(/(?:^|\s)image:\s*["']?([^\s"'#]+)/gm)) found.add(m[1] ?? '');
  for (const m of text.matchAll(/--image[= ]["']?([^\s"']+)/g)) found.add(m[1] ?? '');
  return [...found].filter(Boolean);
}

describe('images the labs use', () => {
  // No addon copies in an empty data dir: the pinned lists of versions.ts are what is preloaded.
  const preloaded = new Set(preloadImages(mkdtempSync(path.join(tmpdir(), 'lab-images-'))));
  const uses = labFiles(defaultLabsDir).flatMap((file) => imagesIn(readFileSync(file, 'utf8')).map((image) => ({ image, file: path.relative(defaultLabsDir, file) })));

  it('finds the images of the labs (httpbin, curl, fortio)', () => {
    const names = new Set(uses.map((u) => u.image.replace(/:.*$/, '')));
    for (const name of ['docker.io/mccutchen/go-httpbin', 'docker.io/curlimages/curl', 'docker.io/fortio/fortio']) expect(names).toContain(name);
  });

  it('every image a lab setup, solution or lesson starts is in the pinned preload list (offline clusters)', () => {
    const missing = uses.filter((u) => !preloaded.has(u.image)).map((u) => `${u.file}: ${u.image}`);
    expect(missing, `not preloaded (pin it in clusters/versions.ts or use the pinned tag): ${missing.join(', ')}`).toEqual([]);
  });

  it('reads image references in both forms', () => {
    expect(imagesIn('    image: docker.io/a/b:1\n  - image: "c:2"\nkubectl run x --image=d:3 --restart=Never')).toEqual(['docker.io/a/b:1', 'c:2', 'd:3']);
  });
});
