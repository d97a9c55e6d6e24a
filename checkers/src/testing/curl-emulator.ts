import type { ExecAnswer } from './fake-kube-api';
import type { FakeRequest, FakeResponse } from './fake-bookinfo';

/** Where an in-cluster host:port goes: a function answering like that service would. */
export type Upstream = (request: FakeRequest) => Promise<FakeResponse> | FakeResponse;

/**
 * Decides per host:port where a call goes (a mesh simulator knows the calling pod); undefined falls
 * back to the `upstreams` table.
 */
export type UpstreamResolver = (hostname: string, port: number) => Upstream | DeadUpstream | undefined;

/** An upstream that is down the way curl sees it (exit 7 refused, 56 reset, 28 timeout). */
export interface DeadUpstream {
  curlExitCode: number;
}

/**
 * Emulates the subset of curl that checker probes use inside a pod (toolbox, intro/curl):
 * `-s -S -i -o FILE -w FORMAT -H -X -d/--data -b/--cookie -D - -m/--max-time`, several URLs in one
 * call, `%{http_code}` and `%{time_total}` in -w. Hosts resolve through `upstreams`
 * (`istio-ingressgateway.istio-system`, `httpbin.intro:8000`, ...) or `resolve` first when given; unknown
 * hosts fail as DNS does (exit 6). An answer with status 0 means the connection was refused (exit 7), and
 * an answer slower than `-m` ends the transfer with exit 28, as curl does.
 */
export async function emulateCurl(argv: string[], upstreams: Record<string, Upstream | DeadUpstream>, resolve?: UpstreamResolver): Promise<ExecAnswer> {
  if (argv[0] !== 'curl') return { stderr: `sh: ${argv[0] ?? ''}: not found`, exitCode: 127 };
  const headers: Record<string, string> = {};
  let method: string | undefined;
  let data: string | undefined;
  let writeOut = '';
  let output: string | undefined;
  let dumpHeaders = false;
  let include = false;
  let maxTimeMs = Infinity;
  const urls: string[] = [];
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i] ?? '';
    const next = () => argv[++i] ?? '';
    if (a === '-s' || a === '-S' || a === '-sS' || a === '--silent' || a === '--show-error' || a === '-f') continue;
    else if (a === '-H' || a === '--header') {
      const h = next();
      const c = h.indexOf(':');
      headers[h.slice(0, c).trim().toLowerCase()] = h.slice(c + 1).trim();
    } else if (a === '-X' || a === '--request') method = next();
    else if (a === '-d' || a === '--data' || a === '--data-raw') data = next();
    else if (a === '-w' || a === '--write-out') writeOut = next();
    else if (a === '-o' || a === '--output') output = next();
    else if (a === '-D' || a === '--dump-header') dumpHeaders = next() === '-';
    else if (a === '-i' || a === '--include') include = true;
    else if (a === '-b' || a === '--cookie') headers['cookie'] = next();
    else if (a === '-m' || a === '--max-time') maxTimeMs = Number(next()) * 1000 || Infinity;
    else if (a === '--connect-timeout') next();
    else if (a.startsWith('-')) return { stderr: `curl: option ${a}: is unknown`, exitCode: 2 };
    else urls.push(a);
  }
  if (urls.length === 0) return { stderr: 'curl: no URL specified', exitCode: 2 };
  let stdout = '';
  let exitCode = 0;
  let stderr = '';
  for (const raw of urls) {
    const url = new URL(raw.includes('://') ? raw : `http://${raw}`);
    const hostKey = `${url.hostname}:${url.port || (url.protocol === 'https:' ? '443' : '80')}`;
    const upstream = resolve?.(url.hostname, Number(url.port || (url.protocol === 'https:' ? 443 : 80))) ?? upstreams[hostKey] ?? upstreams[url.hostname];
    const started = Date.now();
    let response: FakeResponse | undefined;
    if (!upstream) {
      exitCode = 6;
      stderr += `curl: (6) Could not resolve host: ${url.hostname}\n`;
    } else if (typeof upstream !== 'function') {
      exitCode = upstream.curlExitCode;
      stderr += `curl: (${upstream.curlExitCode}) Recv failure: Connection reset by peer\n`;
    } else {
      const answer = Promise.resolve(
        upstream({
          method: method ?? (data !== undefined ? 'POST' : 'GET'),
          path: url.pathname + url.search,
          headers: { host: url.host, 'user-agent': 'curl/8.16.0', accept: '*/*', ...headers, ...(data !== undefined ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
          body: data ?? '',
        }),
      );
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timeout'>((r) => {
        if (Number.isFinite(maxTimeMs)) timer = setTimeout(() => r('timeout'), maxTimeMs);
      });
      const first = await Promise.race([answer, timedOut]);
      clearTimeout(timer);
      if (first === 'timeout') {
        exitCode = 28;
        stderr += `curl: (28) Operation timed out after ${maxTimeMs} milliseconds with 0 bytes received\n`;
      } else if (first.status === 0 && first.reset) {
        exitCode = 56;
        stderr += 'curl: (56) Recv failure: Connection reset by peer\n';
      } else if (first.status === 0) {
        exitCode = 7;
        stderr += `curl: (7) Failed to connect to ${url.hostname} port ${url.port || 80}: Connection refused\n`;
      } else response = first;
    }
    if (response && (dumpHeaders || include)) {
      stdout += `HTTP/1.1 ${response.status}\r\n`;
      for (const [k, v] of Object.entries(response.headers ?? {})) stdout += `${k}: ${v}\r\n`;
      stdout += '\r\n';
    }
    if (response && output !== '/dev/null') stdout += response.body;
    const seconds = ((Date.now() - started) / 1000).toFixed(6);
    stdout += writeOut
      .replace(/%\{http_code\}/g, response ? String(response.status).padStart(3, '0') : '000')
      .replace(/%\{time_total\}/g, seconds)
      .replace(/\\n/g, '\n');
  }
  return { stdout, stderr, exitCode };
}
