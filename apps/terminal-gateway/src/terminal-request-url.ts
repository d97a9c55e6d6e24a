// Reading terminal request URLs: `/terminals/<environmentId>[/preflight]?token=…&terminal=…`.

export const environmentIdPattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const terminalPath = /^\/terminals\/([^/]+)(\/preflight)?$/;

export interface ParsedTerminalUrl {
  environmentId: string;
  preflight: boolean;
  token: string | null;
  terminalName: string | null;
}

/** Undefined when the path is not a terminal path (the caller answers 404 or 400). */
export function parseTerminalUrl(rawUrl: string | undefined): ParsedTerminalUrl | undefined {
  let url: URL;
  try {
    url = new URL(rawUrl ?? '/', 'http://gateway.invalid');
  } catch {
    return undefined;
  }
  const match = terminalPath.exec(url.pathname);
  if (!match?.[1]) return undefined;
  let environmentId: string;
  try {
    environmentId = decodeURIComponent(match[1]);
  } catch {
    return undefined;
  }
  return { environmentId, preflight: match[2] !== undefined, token: url.searchParams.get('token'), terminalName: url.searchParams.get('terminal') };
}

/** The path only: query strings carry tokens and never reach a log line. */
export function loggablePath(rawUrl: string | undefined): string {
  return (rawUrl ?? '/').split('?')[0] ?? '/';
}
