// Reads and renders the files under clusters/ (kind config, overlay, our manifests) and derives the
// image list from them, so `images`, `plan` and the pipeline can never disagree.

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { addonManifestUrls, istioImages, versions } from '../versions';
import { addonCacheDir, clusterFiles } from './cluster-paths';

function read(file: string): string {
  return readFileSync(file, 'utf8');
}

/** Fills `${NAME}` placeholders; an unknown placeholder is an error, never left in a manifest. */
export function renderTemplate(text: string, values: Record<string, string | number>): string {
  return text.replace(/\$\{([A-Z_]+)\}/g, (_, name: string) => {
    const v = values[name];
    if (v === undefined) throw new Error(`template placeholder \${${name}} has no value`);
    return String(v);
  });
}

export function httpsPortFor(httpPort: number): number {
  return httpPort + 1;
}

export function renderKindConfig(httpPort: number): string {
  return renderTemplate(read(clusterFiles.kindConfig), { HTTP_PORT: httpPort, HTTPS_PORT: httpsPortFor(httpPort) });
}

export function overlayText(): string {
  return read(clusterFiles.istioOverlay);
}

export const manifests = {
  namespaces: () => read(clusterFiles.namespaces),
  bookinfo: () => read(clusterFiles.bookinfo),
  bookinfoGateway: () => read(clusterFiles.bookinfoGateway),
  toolbox: () => renderTemplate(read(clusterFiles.toolbox), { TOOLBOX_IMAGE: versions.toolbox.image }),
  smokeTracing: () => read(clusterFiles.smokeTracing),
};

/** Where each addon manifest is applied from: the local copy when fetched, else the pinned URL. */
export function addonSources(dataDir: string): { name: string; source: string; local: boolean }[] {
  const dir = addonCacheDir(dataDir, versions.istio.version);
  return addonManifestUrls().map((url, i) => {
    const name = versions.addons.manifests[i] ?? url;
    const file = path.join(dir, name);
    return existsSync(file) ? { name, source: file, local: true } : { name, source: url, local: false };
  });
}

/** Every `image:` in a multi-document manifest (containers and init containers of any workload kind). */
export function imagesInManifest(text: string): string[] {
  const found = new Set<string>();
  const walk = (node: unknown, key?: string) => {
    if (Array.isArray(node)) node.forEach((n) => walk(n));
    else if (node && typeof node === 'object') for (const [k, v] of Object.entries(node)) walk(v, k);
    else if (key === 'image' && typeof node === 'string' && node.length > 0) found.add(node);
  };
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) throw new Error(`manifest does not parse: ${doc.errors[0]?.message ?? 'unknown error'}`);
    walk(doc.toJS());
  }
  return [...found];
}

export interface ImageListEntry {
  image: string;
  from: string;
}

/**
 * The images a learner environment runs, derived from what we apply: the overlay's hub and the Istio pin,
 * our manifests, the addon manifests (parsed when a local copy exists, else their pinned list) and the
 * lab extras. The kind node image is listed first: kind pulls it itself.
 */
export function environmentImages(dataDir: string): ImageListEntry[] {
  const out: ImageListEntry[] = [{ image: versions.kind.nodeImage, from: 'kind node (versions.kind.nodeImage)' }];
  const add = (image: string, from: string) => {
    if (!out.some((e) => e.image === image)) out.push({ image, from });
  };
  for (const image of istioImages()) add(image, 'istio/overlay.yaml hub + versions.istio.version');
  for (const image of imagesInManifest(manifests.bookinfo())) add(image, 'manifests/bookinfo.yaml');
  for (const image of imagesInManifest(manifests.toolbox())) add(image, 'manifests/toolbox.yaml (built locally)');
  for (const addon of addonSources(dataDir)) {
    if (addon.local) for (const image of imagesInManifest(read(addon.source))) add(image, `addons/${addon.name}`);
  }
  for (const image of versions.addons.images) add(image, 'versions.addons.images');
  for (const image of versions.labExtras.images) add(image, 'versions.labExtras.images');
  return out;
}

/** Images to load into a node: everything except the node image itself. */
export function preloadImages(dataDir: string): string[] {
  return environmentImages(dataDir)
    .map((e) => e.image)
    .filter((i) => i !== versions.kind.nodeImage);
}
