import type { CheckContext } from '../../check-api';

/** fortio prints one `Code <status> : <count> (<pct> %)` line per HTTP status (-1 = socket error). */
export interface FortioTally {
  codes: Record<string, number>;
  total: number;
  pod: string;
}

export function parseFortio(output: string, pod: string): FortioTally {
  const codes: Record<string, number> = {};
  let total = 0;
  for (const m of output.matchAll(/^Code\s+(-?\d+)\s*:\s*(\d+)/gm)) {
    const n = Number(m[2]);
    codes[m[1]!] = (codes[m[1]!] ?? 0) + n;
    total += n;
  }
  return { codes, total, pod };
}

export function describeFortio(t: FortioTally): string {
  const parts = Object.entries(t.codes).map(([c, n]) => `Code ${c} × ${n}`);
  return `${parts.join(', ') || 'no result lines'} (${t.total} calls from ${t.pod})`;
}

/** `fortio load -c <conns> -qps 0 -n <calls>` from the fortio client in ns intro to httpbin /get. */
export async function runFortio(ctx: Pick<CheckContext, 'probes'>, connections: number, calls: number): Promise<FortioTally> {
  const res = await ctx.probes.exec('intro', 'app=fortio', [
    'fortio',
    'load',
    '-c',
    String(connections),
    '-qps',
    '0',
    '-n',
    String(calls),
    '-loglevel',
    'Warning',
    'http://httpbin:8000/get',
  ]);
  return parseFortio(`${res.stdout}\n${res.stderr}`, res.pod);
}
