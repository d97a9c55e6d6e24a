/** An adapter was asked to read a version of an addon whose API it was not written against. */
export class UnsupportedAddonVersionError extends Error {
  constructor(addon: string, version: string, known: readonly string[]) {
    super(`${addon} ${version} is not a version this portal knows (it reads ${known.join(', ')}); write or check its adapter before pinning it`);
    this.name = 'UnsupportedAddonVersionError';
  }
}

/** `v2.26.1` → `2.26`: versions of one minor share an API for our purposes. */
export function minorOf(version: string): string {
  const m = /^v?(\d+)\.(\d+)/.exec(version.trim());
  return m ? `${m[1]}.${m[2]}` : version.trim();
}

/** Refuses `version` unless its minor is one of `known` (written as the pins are, e.g. `v2.26`). */
export function assertKnownVersion(addon: string, version: string, known: readonly string[]): void {
  if (!known.some((k) => minorOf(k) === minorOf(version))) throw new UnsupportedAddonVersionError(addon, version, known);
}
