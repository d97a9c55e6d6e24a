/**
 * Whether an object with `exportTo` (VirtualService, DestinationRule, ServiceEntry, or the Service
 * annotation `networking.istio.io/exportTo`) is visible to clients in `clientNamespace`.
 * Istio 1.30 (pilot/pkg/model/push_context.go, VirtualService and DestinationRule indexes; docs
 * reference/config/networking/virtual-service#VirtualService-export_to): omitted = `*` (the mesh
 * default exportTo); `*` every namespace; `.` the object's own namespace; `~` nobody (wins unless `*`
 * is also listed); otherwise the listed namespace names.
 */
export function visibleFrom(exportTo: readonly string[] | undefined, objectNamespace: string, clientNamespace: string): boolean {
  const set = (exportTo ?? []).map((e) => e.trim());
  if (set.length === 0 || set.includes('*')) return true;
  if (set.includes('~')) return false;
  return set.some((e) => (e === '.' ? objectNamespace : e) === clientNamespace);
}

/** `exportTo` of a Service, from its annotation (comma-separated), as `visibleFrom` reads it. */
export function serviceExportTo(annotations: Record<string, string> | undefined): string[] | undefined {
  const raw = annotations?.['networking.istio.io/exportTo'];
  if (raw === undefined) return undefined;
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** In words, for hints: `exportTo [".", "ops"]` → "namespaces default, ops". */
export function describeExportTo(exportTo: readonly string[] | undefined, objectNamespace: string): string {
  const set = exportTo ?? [];
  if (set.length === 0 || set.includes('*')) return 'every namespace';
  if (set.includes('~')) return 'no namespace (exportTo ~)';
  return `namespace${set.length > 1 ? 's' : ''} ${set.map((e) => (e === '.' ? objectNamespace : e)).join(', ')}`;
}
