/** `ns/name` of an Istio object. */
export function refOf(obj: { metadata: { name: string; namespace: string } }): string {
  return `${obj.metadata.namespace}/${obj.metadata.name}`;
}

/** `Kind ns/name`, the start of every assertion path. */
export function kindRef(kind: string, obj: { metadata: { name: string; namespace: string } }): string {
  return `${kind} ${refOf(obj)}`;
}

/** True when every key=value of `selector` is among `labels` (an empty selector matches everything). */
export function selectorMatches(selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  return Object.entries(selector ?? {}).every(([k, v]) => labels?.[k] === v);
}

/** `{a: b, c: d}` → `a=b,c=d` for hints and kubectl -l. */
export function labelsText(labels: Record<string, string> | undefined): string {
  return Object.entries(labels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}
