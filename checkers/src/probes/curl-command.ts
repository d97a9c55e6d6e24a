/**
 * Builds curl command lines for exec probes and parses what they print. Several URLs go into one
 * curl call (one exec, one WebSocket) and each transfer ends with a marker line carrying its HTTP
 * code, so the output splits back into per-request answers.
 */
export const curlMarker = '@@istio-workshop-curl@@';

export interface CurlSpec {
  urls: string[];
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  maxTimeSeconds?: number;
  /** Print response headers (`-i`) before each body. */
  includeHeaders?: boolean;
}

export function curlArgv(spec: CurlSpec): string[] {
  const argv = ['curl', '-sS', '-m', String(spec.maxTimeSeconds ?? 10)];
  if (spec.includeHeaders) argv.push('-i');
  if (spec.method) argv.push('-X', spec.method);
  for (const [k, v] of Object.entries(spec.headers ?? {})) argv.push('-H', `${k}: ${v}`);
  if (spec.body !== undefined) argv.push('--data', spec.body);
  argv.push('-w', `\\n${curlMarker} %{http_code} %{time_total}\\n`);
  argv.push(...spec.urls);
  return argv;
}

export interface CurlTransfer {
  httpCode: number;
  seconds: number;
  headers: Record<string, string>;
  body: string;
}

/** Splits curl output into transfers; a transfer that never answered shows http code 000 → 0. */
export function parseCurlOutput(stdout: string, includeHeaders = false): CurlTransfer[] {
  const out: CurlTransfer[] = [];
  const re = new RegExp(`\\n?${curlMarker} (\\d{3}) ([\\d.]+)\\n`, 'g');
  let last = 0;
  for (let m = re.exec(stdout); m; m = re.exec(stdout)) {
    const chunk = stdout.slice(last, m.index);
    last = m.index + m[0].length;
    let headers: Record<string, string> = {};
    let body = chunk;
    if (includeHeaders) {
      const split = splitHeaders(chunk);
      headers = split.headers;
      body = split.body;
    }
    out.push({ httpCode: Number(m[1]), seconds: Number(m[2]), headers, body });
  }
  return out;
}

function splitHeaders(chunk: string): { headers: Record<string, string>; body: string } {
  let rest = chunk;
  // Skip interim answers (100 Continue) and keep the final header block.
  for (;;) {
    const end = rest.search(/\r?\n\r?\n/);
    if (!/^HTTP\/[\d.]+ \d{3}/.test(rest) || end < 0) return { headers: {}, body: rest };
    const block = rest.slice(0, end);
    const body = rest.slice(end).replace(/^\r?\n\r?\n/, '');
    if (/^HTTP\/[\d.]+ 1\d\d/.test(block) && /^HTTP\/[\d.]+ \d{3}/.test(body)) {
      rest = body;
      continue;
    }
    const headers: Record<string, string> = {};
    for (const line of block.split(/\r?\n/).slice(1)) {
      const c = line.indexOf(':');
      if (c > 0) {
        const key = line.slice(0, c).trim().toLowerCase();
        const value = line.slice(c + 1).trim();
        headers[key] = headers[key] ? `${headers[key]}\n${value}` : value;
      }
    }
    return { headers, body };
  }
}
