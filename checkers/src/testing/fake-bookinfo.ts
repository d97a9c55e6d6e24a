import { createHmac } from 'node:crypto';
import http from 'node:http';
import { seededRandom } from './seeded-random';
import { listenOnLoopback } from './loopback-server';

export type Version = 'v1' | 'v2' | 'v3';
export type Weights = Partial<Record<Version, number>>;

/** Which reviews version answers whom: what the learner's VirtualServices amount to. */
export interface RouteTable {
  /** Requests without a logged-in user (productpage sends no `end-user`). */
  anonymous: Weights;
  /** Per logged-in user; users not listed fall back to `anonymous`. */
  users?: Record<string, Weights>;
  /** When set, every Bookinfo answer is this failure (e.g. 503 "no healthy upstream" for a missing subset). */
  failure?: { status: number; body: string };
  /** Decides per request instead of the tables above (the mesh model, derived from cluster state). */
  resolve?: (user: string | undefined, request: FakeRequest) => { weights: Weights } | { failure: { status: number; body: string; everyPath?: boolean } };
}

export interface FakeResponse {
  status: number;
  headers?: Record<string, string>;
  body: string;
  /** With status 0: the peer reset the connection (curl exit 56) rather than refusing it (exit 7). */
  reset?: boolean;
}

export interface FakeRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}

/** Answers for one Host (e.g. `httpbin.example.com` after L02); return undefined for Envoy's 404. */
export type VirtualHost = (request: FakeRequest) => FakeResponse | undefined;

export interface FakeBookinfo {
  url: string;
  setRoutes(routes: RouteTable): void;
  setVirtualHost(host: string, handler: VirtualHost | undefined): void;
  /** Answers a request without a socket (the curl emulator uses it for in-cluster calls). */
  handle(request: FakeRequest): Promise<FakeResponse>;
  /** Counts of answers per reviews version since start (for tests of probes). */
  served: Record<Version, number>;
  close(): Promise<void>;
}

const podNames: Record<Version, string> = {
  v1: 'reviews-v1-5b8c9d6f7c-x2k4p',
  v2: 'reviews-v2-6d7f8b9c5d-q8m2t',
  v3: 'reviews-v3-7c9d8e5f6b-h4n7w',
};

const secret = 'fake-bookinfo-session-key';

function sign(user: string): string {
  const payload = Buffer.from(JSON.stringify({ user })).toString('base64url');
  return `${payload}.${createHmac('sha256', secret).update(payload).digest('base64url').slice(0, 16)}`;
}

function userFromCookie(cookieHeader: string | undefined): string | undefined {
  const m = /(?:^|;\s*)session=([^;]+)/.exec(cookieHeader ?? '');
  if (!m?.[1]) return undefined;
  const [payload, mac] = m[1].split('.');
  if (!payload || !mac || createHmac('sha256', secret).update(payload).digest('base64url').slice(0, 16) !== mac) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { user?: unknown };
    return typeof parsed.user === 'string' ? parsed.user : undefined;
  } catch {
    return undefined;
  }
}

function reviewsBody(version: Version): string {
  const rating = (stars: number) =>
    version === 'v1' ? {} : { rating: { stars, color: version === 'v2' ? 'black' : 'red' } };
  return JSON.stringify({
    id: 0,
    podname: podNames[version],
    clustername: 'null',
    reviews: [
      { reviewer: 'Reviewer1', text: 'An extremely entertaining play by Shakespeare. The slapstick humour is refreshing!', ...rating(5) },
      { reviewer: 'Reviewer2', text: 'Absolutely fun and entertaining. The play lacks thematic depth when compared to other plays by Shakespeare.', ...rating(4) },
    ],
  });
}

function productPage(version: Version, user: string | undefined): string {
  const stars = version === 'v1' ? '' : `<font color="${version === 'v2' ? 'black' : 'red'}"><span class="glyphicon glyphicon-star"></span></font>`;
  return [
    '<!DOCTYPE html><html><head><title>Simple Bookstore App</title></head><body>',
    user ? `<p>signed in as <b>${user}</b></p><a href="/logout">sign out</a>` : '<button>Sign in</button>',
    '<h4 class="text-center text-primary">Book Details</h4><dl><dt>Type:</dt>paperback<dt>Pages:</dt>200</dl>',
    '<h4 class="text-center text-primary">Book Reviews</h4>',
    `<blockquote><p>An extremely entertaining play by Shakespeare.</p>${stars}</blockquote>`,
    `<dl><dt>Reviews served by:</dt><u>${podNames[version]}</u></dl>`,
    '</body></html>',
  ].join('\n');
}

const envoy404: FakeResponse = { status: 404, headers: { server: 'istio-envoy' }, body: '' };

/**
 * A local HTTP server that answers like the Bookinfo ingress: `/productpage`, the reviews API,
 * `/login` (sets the `session` cookie productpage reads the user from), `/logout`, with the reviews
 * version chosen by a route table; other Hosts are delegated to registered virtual hosts.
 */
export async function startFakeBookinfo(initial: RouteTable = { anonymous: { v1: 1, v2: 1, v3: 1 } }): Promise<FakeBookinfo> {
  let routes = initial;
  const random = seededRandom(42);
  const hosts = new Map<string, VirtualHost>();
  const served: Record<Version, number> = { v1: 0, v2: 0, v3: 0 };

  function pick(user: string | undefined, override?: Weights): Version {
    const weights = override ?? (user ? routes.users?.[user] : undefined) ?? routes.anonymous;
    const entries = (Object.entries(weights) as Array<[Version, number]>).filter(([, w]) => w > 0);
    const total = entries.reduce((a, [, w]) => a + w, 0);
    let r = random() * total;
    for (const [v, w] of entries) {
      r -= w;
      if (r < 0) return v;
    }
    return entries[entries.length - 1]?.[0] ?? 'v1';
  }

  async function handle(request: FakeRequest): Promise<FakeResponse> {
    const host = (request.headers['host'] ?? '').replace(/:\d+$/, '').toLowerCase();
    const virtual = hosts.get(host);
    if (virtual) return virtual(request) ?? envoy404;
    const url = new URL(request.path, 'http://bookinfo');
    const user = userFromCookie(request.headers['cookie']);
    const isBookinfo =
      url.pathname === '/productpage' || url.pathname === '/login' || url.pathname === '/logout' || url.pathname.startsWith('/api/v1/products') || url.pathname.startsWith('/static');
    if (!isBookinfo) return envoy404;
    if (routes.failure) return { status: routes.failure.status, headers: { server: 'istio-envoy' }, body: routes.failure.body };
    if (url.pathname === '/login' && request.method === 'POST') {
      const form = new URLSearchParams(request.body);
      const name = form.get('username') ?? '';
      return {
        status: 302,
        headers: { location: request.headers['referer'] ?? '/productpage', 'set-cookie': `session=${sign(name)}; HttpOnly; Path=/` },
        body: '',
      };
    }
    if (url.pathname === '/logout') {
      return { status: 302, headers: { location: '/productpage', 'set-cookie': 'session=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/' }, body: '' };
    }
    const decided = routes.resolve?.(user, request);
    if (decided && 'failure' in decided && (decided.failure.everyPath || url.pathname === '/productpage' || url.pathname.includes('/reviews'))) {
      return { status: decided.failure.status, headers: { server: 'istio-envoy' }, body: decided.failure.body };
    }
    const override = decided && 'weights' in decided ? decided.weights : undefined;
    if (url.pathname === '/productpage') {
      const version = pick(user, override);
      served[version] += 1;
      return { status: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body: productPage(version, user) };
    }
    if (/^\/api\/v1\/products\/\d+\/reviews$/.test(url.pathname)) {
      const version = pick(user, override);
      served[version] += 1;
      return { status: 200, headers: { 'content-type': 'application/json' }, body: reviewsBody(version) };
    }
    if (url.pathname === '/api/v1/products') return { status: 200, headers: { 'content-type': 'application/json' }, body: '[{"id":0,"title":"The Comedy of Errors"}]' };
    return { status: 404, headers: { 'content-type': 'text/html' }, body: '<h1>Not Found</h1>' };
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
      void handle({ method: req.method ?? 'GET', path: req.url ?? '/', headers, body: Buffer.concat(chunks).toString('utf8') }).then((answer) => {
        res.writeHead(answer.status, { ...answer.headers, 'content-length': Buffer.byteLength(answer.body) });
        res.end(answer.body);
      });
    });
  });
  const listening = await listenOnLoopback(server);
  return {
    url: listening.url,
    setRoutes(next) {
      routes = next;
    },
    setVirtualHost(host, handler) {
      if (handler) hosts.set(host.toLowerCase(), handler);
      else hosts.delete(host.toLowerCase());
    },
    handle,
    served,
    close: listening.close,
  };
}

/** A go-httpbin-like virtual host: `/headers` echoes headers, `/status/<code>` answers that code. */
export function httpbinHost(extraHeaders: Record<string, string> = {}): VirtualHost {
  return (request) => {
    const url = new URL(request.path, 'http://httpbin');
    if (url.pathname === '/headers') {
      const headers: Record<string, string[]> = {};
      for (const [k, v] of Object.entries({ ...request.headers, ...extraHeaders }))
        headers[k.replace(/(^|-)(\w)/g, (_m, dash: string, ch: string) => dash + ch.toUpperCase())] = [v];
      return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ headers }, null, 2) };
    }
    const status = /^\/status\/(\d{3})$/.exec(url.pathname);
    if (status) return { status: Number(status[1]), body: '' };
    // go-httpbin answers /ip with the caller's address as it saw it.
    if (url.pathname === '/ip') return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ origin: '10.244.0.20' }) };
    if (url.pathname === '/get') return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ url: request.path }) };
    return undefined;
  };
}
