import { loadLabs, type LabCatalog } from '@istio-workshop/labs';
import { portalConfig } from '../portal-config';

let cached: LabCatalog | undefined;

/** The labs, loaded and validated once per process; a broken lab stops the portal with its file and field. */
export function labCatalog(): LabCatalog {
  cached ??= loadLabs(portalConfig().PORTAL_LABS_DIR);
  return cached;
}
