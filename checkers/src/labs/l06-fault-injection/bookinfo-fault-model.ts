/**
 * Test support for the L06/L07 probe checks (imported by tests only): what the real mesh does with the
 * VirtualServices in a fake cluster, hop by hop, so a test sets cluster state and the probes see the
 * behaviour that state causes instead of hand-set answers. It models
 * - routing by the `end-user` header productpage (and reviews, onwards) sends for a logged-in user;
 * - VS faults (delay before abort, `percentage` omitted = 0 %), route timeouts (the fault delay sits in
 *   front of the router, so it does not count against the same route's timeout) and retries;
 * - Bookinfo's own client behaviour: productpage gives reviews 3 s and tries twice, reviews v2 waits
 *   10 s for ratings and v3 2.5 s, reviews v1 never calls ratings;
 * - go-httpbin's `/unstable` (500 half the time) behind the curl pod's sidecar;
 * - the `istio_requests_total` series the sidecars report, answered to the check's PromQL.
 * Time is virtual: a page load advances a clock installed over `Date.now`, so a 6 s page costs no wall time.
 */
import { vi } from 'vitest';
import type { KubeObject } from '../../cluster-reader';
import { resolveHost as fqdn } from '../../istio/rules/host-names';
import { virtualServiceSchema, type HttpRoute, type VirtualService } from '../../istio/istio-schemas';
import { hasIstioProxy } from '../../pods';
import {
  startCheckHarness,
  type CheckHarness,
  type FakeRequest,
  type FakeResponse,
  type FakeSample,
} from '../../testing';
import { expectPassed } from '../shared-check-testing';
import { parseIstioDuration } from '../../istio/istio-duration';
import { seededRandom } from '../../testing/seeded-random';

export const reviewsUnavailable = 'Sorry, product reviews are currently unavailable for this book.';
export const ratingsUnavailable = 'Ratings service is currently unavailable';

/** productpage → reviews: 3 s per try, two tries (productpage.py). */
const productpageTimeoutMs = 3_000;
/** reviews → ratings client timeouts per version (reviews' Java code). */
const ratingsClientTimeoutMs: Record<string, number> = { v2: 10_000, v3: 2_500 };
/** Time an undisturbed service takes to answer. */
const serviceMs = 4;

const httpbinLabels = {
  source_workload: 'curl',
  destination_service_name: 'httpbin',
  destination_service_namespace: 'intro',
};

interface HopResult {
  status: number;
  ms: number;
}

/** A clock over `Date.now` that the model moves forward by the time each simulated request takes. */
export function installVirtualClock(): { advance(ms: number): void; restore(): void } {
  const real = Date.now.bind(Date);
  let skew = 0;
  const spy = vi.spyOn(Date, 'now').mockImplementation(() => real() + skew);
  return {
    advance(ms) {
      skew += Math.max(0, ms);
    },
    restore() {
      spy.mockRestore();
    },
  };
}

function matchesUser(rule: HttpRoute, user: string | undefined): boolean {
  const matches = rule.match ?? [];
  if (matches.length === 0) return true;
  return matches.some((m) =>
    Object.entries(m.headers ?? {}).every(([k, sm]) => {
      if (k.toLowerCase() !== 'end-user') return false;
      if (user === undefined) return false;
      if (sm.exact !== undefined) return sm.exact === user;
      if (sm.prefix !== undefined) return user.startsWith(sm.prefix);
      if (sm.regex !== undefined) return new RegExp(`^(?:${sm.regex})$`).test(user);
      return true;
    }),
  );
}

function faultShare(f: { percentage?: { value?: number }; percent?: number }): number {
  if (f.percentage) return f.percentage.value ?? 0;
  return f.percent ?? 0;
}

function retriesOn500(retryOn: string | undefined): boolean {
  const parts = (retryOn ?? '').split(',').map((p) => p.trim());
  return parts.includes('5xx') || parts.includes('500');
}

export class FaultMesh {
  private objects: KubeObject[] = [];
  private readonly random = seededRandom(7);
  private readonly series = new Map<string, { labels: Record<string, string>; value: number }>();
  /** How many pages were rendered per user (anonymous = ''), to prove a probe ran. */
  readonly pages = new Map<string, number>();

  constructor(private readonly clock: { advance(ms: number): void }) {}

  /**
   * A fresh scenario: new cluster state and, like freshly started sidecars, no request series yet.
   * `keepSeries`: the learner edited config instead (no sidecar restarts), so earlier counts stay.
   */
  set(objects: KubeObject[], options: { keepSeries?: boolean } = {}): void {
    this.objects = objects;
    if (!options.keepSeries) this.series.clear();
  }

  /** Points the harness' ingress (service proxy and toolbox curl), httpbin and Prometheus at this model. */
  attach(h: CheckHarness): void {
    const ingress = (r: FakeRequest) => this.ingress(r);
    h.api.setProxyHandler('istio-system/services/istio-ingressgateway:80', ingress);
    h.upstreams['istio-ingressgateway.istio-system.svc.cluster.local:80'] = ingress;
    h.upstreams['httpbin.intro:8000'] = (r) => this.httpbin(r);
    h.prometheus.setHandler((q) => this.query(q));
  }

  private vs(service: string, ns: string): VirtualService | undefined {
    const host = fqdn(service, ns);
    for (const o of this.objects) {
      if (o.kind !== 'VirtualService') continue;
      const parsed = virtualServiceSchema.safeParse(o);
      if (!parsed.success) continue;
      const vs = parsed.data;
      if (vs.spec.gateways && vs.spec.gateways.length > 0 && !vs.spec.gateways.includes('mesh')) continue;
      if (vs.spec.hosts.some((h) => fqdn(h, vs.metadata.namespace) === host)) return vs;
    }
    return undefined;
  }

  private rule(service: string, ns: string, user: string | undefined): HttpRoute | undefined | 'no-route' {
    const vs = this.vs(service, ns);
    if (!vs) return undefined;
    return (vs.spec.http ?? []).find((r) => matchesUser(r, user)) ?? 'no-route';
  }

  private applies(share: number): boolean {
    if (share >= 100) return true;
    if (share <= 0) return false;
    return this.random() * 100 < share;
  }

  private count(labels: Record<string, string>): void {
    const key = JSON.stringify(Object.entries(labels).sort());
    const s = this.series.get(key) ?? { labels, value: 0 };
    s.value += 1;
    this.series.set(key, s);
  }

  /**
   * One call through the caller's sidecar: fault (delay, then abort), then the router with the route's
   * timeout around the upstream. Reports the source (and, when reached, destination) series.
   */
  private hop(
    source: string,
    service: string,
    ns: string,
    user: string | undefined,
    upstream: () => HopResult,
  ): HopResult {
    const rule = this.rule(service, ns, user);
    const report = (status: number, flags: string, reached: boolean) => {
      const base = {
        destination_service_name: service,
        destination_service_namespace: ns,
        response_code: String(status),
      };
      this.count({ reporter: 'source', source_workload: source, ...base, response_flags: flags });
      if (reached) this.count({ reporter: 'destination', source_workload: source, ...base, response_flags: '-' });
    };
    if (rule === 'no-route') {
      report(404, 'NR', false);
      return { status: 404, ms: 1 };
    }
    let ms = 0;
    const flags: string[] = [];
    const delay = rule?.fault?.delay;
    if (delay && this.applies(faultShare(delay))) {
      ms += parseIstioDuration(delay.fixedDelay) ?? 0;
      flags.push('DI');
    }
    const abort = rule?.fault?.abort;
    if (abort && this.applies(faultShare(abort))) {
      const status = abort.httpStatus ?? 503;
      report(status, [...flags, 'FI'].join(','), false);
      return { status, ms: ms + 1 };
    }
    const timeout = parseIstioDuration(rule?.timeout);
    const answer = upstream();
    if (timeout !== undefined && timeout > 0 && answer.ms > timeout) {
      report(504, [...flags, 'UT'].join(','), true);
      return { status: 504, ms: ms + timeout };
    }
    report(answer.status, flags.length ? flags.join(',') : '-', true);
    return { status: answer.status, ms: ms + answer.ms };
  }

  private reviewsVersion(user: string | undefined): string {
    const rule = this.rule('reviews', 'default', user);
    if (rule === undefined || rule === 'no-route') return 'v1';
    const routes = rule.route ?? [];
    const best = [...routes].sort((a, b) => (b.weight ?? 100) - (a.weight ?? 100))[0];
    return best?.destination.subset ?? 'v1';
  }

  /** What /productpage renders for `user`, and how long it takes. */
  page(user: string | undefined): { body: string; ms: number } {
    this.pages.set(user ?? '', (this.pages.get(user ?? '') ?? 0) + 1);
    const version = this.reviewsVersion(user);
    let ratingsOk = true;
    const reviews = (): HopResult => {
      if (version === 'v1') return { status: 200, ms: serviceMs };
      const limit = ratingsClientTimeoutMs[version] ?? 10_000;
      const r = this.hop(`reviews-${version}`, 'ratings', 'default', user, () => ({ status: 200, ms: serviceMs }));
      ratingsOk = r.status === 200 && r.ms <= limit;
      return { status: 200, ms: Math.min(r.ms, limit) + serviceMs };
    };
    let ms = 0;
    let ok = false;
    for (let attempt = 0; attempt < 2 && !ok; attempt++) {
      const r = this.hop('productpage-v1', 'reviews', 'default', user, reviews);
      ok = r.status === 200 && r.ms <= productpageTimeoutMs;
      ms += Math.min(r.ms, productpageTimeoutMs);
    }
    const stars =
      version === 'v1'
        ? ''
        : ratingsOk
          ? '<span class="glyphicon glyphicon-star"></span>'
          : `<p><i>${ratingsUnavailable}</i></p>`;
    const reviewsBlock = ok
      ? `<blockquote><p>An extremely entertaining play by Shakespeare.</p>${stars}</blockquote><dl><dt>Reviews served by:</dt><u>reviews-${version}-6d7f8b9c5d-q8m2t</u></dl>`
      : `<h6>${reviewsUnavailable}</h6>`;
    const body = [
      '<!DOCTYPE html><html><head><title>Simple Bookstore App</title></head><body>',
      user ? `<p>signed in as <b>${user}</b></p>` : '<button>Sign in</button>',
      '<h4 class="text-center text-primary">Book Reviews</h4>',
      reviewsBlock,
      '</body></html>',
    ].join('\n');
    return { body, ms: ms + serviceMs };
  }

  /** The ingress gateway in front of productpage: /login sets the session cookie, /productpage renders. */
  ingress(request: FakeRequest): FakeResponse {
    const url = new URL(request.path, 'http://bookinfo');
    if (url.pathname === '/login' && request.method === 'POST') {
      const name = new URLSearchParams(request.body).get('username') ?? '';
      const referer = request.headers['referer'] ?? '/productpage';
      return {
        status: 302,
        headers: {
          location: referer,
          'set-cookie': `session=${Buffer.from(name).toString('base64url')}; HttpOnly; Path=/`,
        },
        body: '',
      };
    }
    if (url.pathname !== '/productpage') return { status: 404, headers: { server: 'istio-envoy' }, body: '' };
    const m = /(?:^|;\s*)session=([^;]+)/.exec(request.headers['cookie'] ?? '');
    const user = m?.[1] ? Buffer.from(m[1], 'base64url').toString('utf8') : undefined;
    const page = this.page(user);
    this.clock.advance(page.ms);
    return { status: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body: page.body };
  }

  /** httpbin.intro:8000 as the curl pod in intro reaches it (retries only when curl has a sidecar). */
  httpbin(request: FakeRequest): FakeResponse {
    const path = new URL(request.path, 'http://httpbin').pathname;
    const upstream = (): HopResult =>
      path === '/unstable'
        ? { status: this.random() < 0.5 ? 500 : 200, ms: 1 }
        : { status: path === '/get' ? 200 : 404, ms: 1 };
    const curl = this.objects.find(
      (o) => o.kind === 'Pod' && o.metadata?.namespace === 'intro' && o.metadata.labels?.['app'] === 'curl',
    );
    if (!curl || !hasIstioProxy(curl as never)) {
      // No client proxy: no retries and no source series; httpbin's own sidecar still reports.
      const r = upstream();
      this.count({ ...httpbinLabels, reporter: 'destination', response_code: String(r.status), response_flags: '-' });
      return { status: r.status, body: '' };
    }
    const rule = this.rule('httpbin', 'intro', undefined);
    const retries = rule && rule !== 'no-route' ? rule.retries : undefined;
    // Istio's default policy retries twice, but only on connect-failure, refused-stream, unavailable, cancelled.
    const attempts = retries ? (retries.attempts ?? 2) : 0;
    const on500 = retries ? retriesOn500(retries.retryOn) : false;
    let last = this.httpbinTry(rule, upstream);
    // The router retries 500s only when retryOn covers them; a fault answers before the router, so no retry masks it.
    for (let i = 0; i < attempts && !last.fault && last.status === 500 && on500; i++)
      last = this.httpbinTry(rule, upstream);
    this.count({
      ...httpbinLabels,
      reporter: 'source',
      response_code: String(last.status),
      response_flags: last.fault ? 'FI' : '-',
    });
    return { status: last.status, body: '' };
  }

  /** One try of curl → httpbin through curl's sidecar. */
  private httpbinTry(
    rule: HttpRoute | undefined | 'no-route',
    upstream: () => HopResult,
  ): HopResult & { fault: boolean } {
    if (rule === 'no-route') return { status: 404, ms: 1, fault: false };
    const abort = rule?.fault?.abort;
    if (abort && this.applies(faultShare(abort))) return { status: abort.httpStatus ?? 503, ms: 1, fault: true };
    const r = upstream();
    this.count({ ...httpbinLabels, reporter: 'destination', response_code: String(r.status), response_flags: '-' });
    return { ...r, fault: false };
  }

  /** Answers `sum(istio_requests_total{...})` by summing the series whose labels match every matcher. */
  query(q: string): FakeSample[] {
    const m = /^sum\(istio_requests_total\{(.*)\}\)$/.exec(q.trim());
    if (!m) return [];
    const matchers = [...(m[1] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1] ?? '', x[2] ?? ''] as const);
    const hits = [...this.series.values()].filter((s) => matchers.every(([k, v]) => s.labels[k] === v));
    if (hits.length === 0) return [];
    return [{ metric: {}, value: hits.reduce((a, s) => a + s.value, 0) }];
  }
}

/**
 * A check harness whose Bookinfo, httpbin and Prometheus answer from a FaultMesh on a virtual clock.
 * `run` puts the objects in the API and the mesh and runs one step of `labId`; `keepSeries` is a later
 * attempt on the same sidecars (Prometheus still holds earlier counts). `afterEarlierPasses` passes three
 * times on `solved`, then runs on `now`, leaving the earlier attempts' counts in Prometheus.
 */
export async function startFaultMeshHarness(labId: string, objects: KubeObject[]) {
  const clock = installVirtualClock();
  const h = await startCheckHarness({ objects });
  const mesh = new FaultMesh(clock);
  mesh.attach(h);
  const run = (step: string, state: KubeObject[], keepSeries = false) => {
    h.api.set(state);
    mesh.set(state, { keepSeries });
    return h.run(labId, step);
  };
  const afterEarlierPasses = async (step: string, solved: KubeObject[], now: KubeObject[]) => {
    for (let i = 0; i < 3; i++) expectPassed(await run(step, solved, i > 0));
    return run(step, now, true);
  };
  return {
    h,
    mesh,
    run,
    afterEarlierPasses,
    async close() {
      await h.close();
      clock.restore();
    },
  };
}
