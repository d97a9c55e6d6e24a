import type { HttpMatch, HttpRoute } from '../istio-schemas';

export type HeaderMatchKind = 'exact' | 'prefix' | 'regex';

/**
 * How a match entry selects requests whose `header` carries `value` (Istio 1.30 HTTPMatchRequest
 * headers: exact, prefix, or RE2 regex matched against the whole value; header names are
 * case-insensitive). Undefined when it does not select them. An RE2 pattern JavaScript cannot
 * compile is not judged here.
 */
export function headerMatchKind(m: HttpMatch, header: string, value: string): HeaderMatchKind | undefined {
  const entry = Object.entries(m.headers ?? {}).find(([k]) => k.toLowerCase() === header.toLowerCase());
  if (!entry) return undefined;
  const sm = entry[1];
  if (sm.exact !== undefined) return sm.exact === value ? 'exact' : undefined;
  if (sm.prefix !== undefined) return sm.prefix !== '' && value.startsWith(sm.prefix) ? 'prefix' : undefined;
  if (sm.regex !== undefined) {
    try {
      return new RegExp(`^(?:${sm.regex})$`).test(value) ? 'regex' : undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** Index of the first rule whose match selects requests with `header: value` (Bookinfo: `end-user: jason`), or -1. */
export function firstRuleForHeader(http: HttpRoute[] | undefined, header: string, value: string): number {
  return (http ?? []).findIndex((r) => (r.match ?? []).some((m) => headerMatchKind(m, header, value) !== undefined));
}

/** Any rule that matches on the `cookie` header: the pre-1.5 docs recipe for Bookinfo users that no longer works. */
export function matchesOnCookie(http: HttpRoute[] | undefined): boolean {
  return (http ?? []).some((r) =>
    (r.match ?? []).some((m) => Object.keys(m.headers ?? {}).some((k) => k.toLowerCase() === 'cookie')),
  );
}
