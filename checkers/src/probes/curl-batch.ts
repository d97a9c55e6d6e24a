import type { CheckContext } from '../check-api';

/**
 * Many HTTP calls from inside one pod in one exec: a single curl with several URLs (no shell needed),
 * each transfer printing its HTTP code on its own line (`000` = no HTTP answer).
 */
export interface CurlTally {
  ok: number;
  failed: number;
  total: number;
  codes: Record<string, number>;
  pod: string;
}

export function batchCurlArgv(url: string, count: number, maxTimeSeconds = 3): string[] {
  const argv = ['curl', '-s', '-m', String(maxTimeSeconds), '-w', '%{http_code}\\n'];
  for (let i = 0; i < count; i++) argv.push('-o', '/dev/null', url);
  return argv;
}

export function tallyCodes(stdout: string, pod: string): CurlTally {
  const codes: Record<string, number> = {};
  let ok = 0;
  let total = 0;
  for (const line of stdout.split('\n')) {
    const code = line.trim();
    if (!/^\d{3}$/.test(code)) continue;
    total += 1;
    codes[code] = (codes[code] ?? 0) + 1;
    if (code === '200') ok += 1;
  }
  return { ok, failed: total - ok, total, codes, pod };
}

export async function curlBatch(
  ctx: Pick<CheckContext, 'probes'>,
  o: { ns: string; selector: string; url: string; count: number; maxTimeSeconds?: number },
): Promise<CurlTally> {
  const res = await ctx.probes.exec(o.ns, o.selector, batchCurlArgv(o.url, o.count, o.maxTimeSeconds));
  return tallyCodes(res.stdout, res.pod);
}

export function describeTally(t: CurlTally): string {
  const codes = Object.entries(t.codes)
    .map(([c, n]) => `${c}×${n}`)
    .join(', ');
  return `${t.ok} of ${t.total} succeeded (${codes || 'no answers'}) from ${t.pod}`;
}
