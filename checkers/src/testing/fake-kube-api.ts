import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import type { KubeObject } from '../cluster-reader';
import {
  apiVersionOf,
  resourceTypes,
  splitApiVersion,
  typeByKind,
  typeByPlural,
  type ResourceType,
} from './fake-resources';
import { LabelSelectorError, matchesLabelSelector } from './label-selector';

/** A request as the fake API server saw it (tests assert on these: e.g. "never wrote"). */
export interface RecordedRequest {
  method: string;
  path: string;
  status: number;
}

export interface ProxyRequest {
  method: string;
  /** Path after `/proxy`, with its query string, e.g. `/api/v1/query?query=up`. */
  path: string;
  headers: Record<string, string>;
  body: string;
}

export interface ProxyAnswer {
  status: number;
  headers?: Record<string, string>;
  body: string;
}

/** Answers a proxied request, or a base URL (e.g. a fake Prometheus) to forward it to. */
export type ProxyHandler = ((request: ProxyRequest) => ProxyAnswer | Promise<ProxyAnswer>) | string;

export interface ExecCall {
  namespace: string;
  pod: string;
  container: string;
  command: string[];
}

export interface ExecAnswer {
  stdout?: string;
  stderr?: string;
  exitCode: number;
}

export type ExecHandler = (call: ExecCall, pod: KubeObject) => ExecAnswer | Promise<ExecAnswer>;

export type LogSource = string | ((sinceSeconds: number | undefined) => string);

/** An RBAC refusal: `verb` on `resource` (plural, or `services/proxy`, `pods/exec`, `pods/log`). */
export interface ForbidRule {
  resource: string;
  verb?: string;
  namespace?: string;
}

export interface FakeKubeApiOptions {
  objects?: KubeObject[];
  /**
   * Bearer token the server requires (written into the kubeconfig). `null` turns auth off: kubectl
   * (client-go) does not send a token to a plain-http server, so journeys that drive kubectl need it.
   */
  token?: string | null;
  /**
   * Accept writes (create, replace, merge/strategic patch, delete, watch), for tests that drive the
   * real kubectl through lab scripts. Off by default: a checker must never write.
   */
  writable?: boolean;
  /**
   * How long a deleted namespace stays Terminating (deletionTimestamp set, new objects in it refused
   * with 403) before it and its objects disappear, as the namespace controller does on a real cluster.
   */
  namespaceTerminationMs?: number;
}

export interface FakeKubeApi {
  url: string;
  kubeconfigPath: string;
  kubeconfigYaml: string;
  /** Replaces every stored object. */
  set(objects: KubeObject[]): void;
  add(...objects: KubeObject[]): void;
  remove(apiVersion: string, kind: string, namespace: string | undefined, name: string): boolean;
  objects(): KubeObject[];
  /** `prefix` = `<ns>/services/<name>:<port>` or `<ns>/pods/<name>:<port>`. */
  setProxyHandler(prefix: string, handler: ProxyHandler): void;
  setExecHandler(handler: ExecHandler | undefined): void;
  setLogs(namespace: string, pod: string, container: string, logs: LogSource): void;
  forbid(rule: ForbidRule): void;
  /** How long namespaces deleted from now on stay Terminating. */
  setNamespaceTerminationMs(ms: number): void;
  /** Delays every answer (to exercise check timeouts). */
  setLatency(ms: number): void;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

interface Stored {
  type: ResourceType;
  object: KubeObject;
}

const defaultToken = 'fake-checker-token';

const shortNames: Record<string, string[]> = {
  namespaces: ['ns'],
  nodes: ['no'],
  pods: ['po'],
  services: ['svc'],
  endpoints: ['ep'],
  configmaps: ['cm'],
  serviceaccounts: ['sa'],
  events: ['ev'],
  deployments: ['deploy'],
  replicasets: ['rs'],
  daemonsets: ['ds'],
  statefulsets: ['sts'],
  virtualservices: ['vs'],
  destinationrules: ['dr'],
  gateways: ['gw'],
  serviceentries: ['se'],
  workloadentries: ['we'],
  peerauthentications: ['pa'],
  requestauthentications: ['ra'],
  authorizationpolicies: ['ap'],
};

function statusBody(code: number, reason: string, message: string, details?: Record<string, unknown>) {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, details, code };
}

function clone<T>(value: T): T {
  return structuredClone(value);
}

/**
 * A node:http server on 127.0.0.1 that answers like the Kubernetes API server for what checkers
 * read: discovery, get/list of core, apps, admission and Istio CRD objects (label selectors,
 * XList shapes, Status errors), service and pod proxies, pod logs and exec over WebSocket
 * (channel protocol v4/v5). Real `@kubernetes/client-node` talks to it through a kubeconfig.
 */
export async function startFakeKubeApi(options: FakeKubeApiOptions = {}): Promise<FakeKubeApi> {
  const token = options.token === undefined ? defaultToken : options.token;
  const authorized = (header: string | undefined) => token === null || header === `Bearer ${token}`;
  const store = new Map<string, Stored>();
  const proxies = new Map<string, ProxyHandler>();
  const logs = new Map<string, LogSource>();
  const forbidden: ForbidRule[] = [];
  const requests: RecordedRequest[] = [];
  let execHandler: ExecHandler | undefined;
  let latency = 0;
  let resourceVersion = 1000;
  const writable = options.writable ?? false;
  let terminationMs = options.namespaceTerminationMs ?? 1000;
  const timers = new Set<NodeJS.Timeout>();
  const watchers = new Set<Watcher>();

  const keyOf = (type: ResourceType, ns: string | undefined, name: string) =>
    `${type.group}/${type.plural}/${type.namespaced ? (ns ?? '') : ''}/${name}`;

  function put(object: KubeObject): void {
    if (!object.apiVersion || !object.kind) throw new Error('fake-kube-api: objects need apiVersion and kind');
    const type = typeByKind(object.apiVersion, object.kind);
    if (!type) throw new Error(`fake-kube-api: unknown type ${object.apiVersion} ${object.kind}`);
    const copy = clone(object);
    const meta = (copy.metadata ??= {});
    if (!meta.name) throw new Error(`fake-kube-api: ${object.kind} without metadata.name`);
    if (type.namespaced) meta.namespace ??= 'default';
    else delete meta.namespace;
    resourceVersion += 1;
    meta.resourceVersion = String(resourceVersion);
    meta.uid ??= randomUUID();
    meta.creationTimestamp ??= new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    if (type.custom) meta.generation ??= 1;
    const key = keyOf(type, meta.namespace, meta.name);
    const existed = store.has(key);
    if (writable && type.kind === 'Deployment') rolledOut(copy, store.get(key)?.object);
    store.set(key, { type, object: copy });
    notify(type, existed ? 'MODIFIED' : 'ADDED', copy);
  }

  function drop(key: string): void {
    const stored = store.get(key);
    if (!stored) return;
    store.delete(key);
    notify(stored.type, 'DELETED', stored.object);
  }

  /**
   * Recent events, so a watch from a list's resourceVersion also gets what changed between the list
   * and the watch (as the API server's watch cache does): `kubectl wait --for=delete` lists, then
   * watches, and a deletion in between would otherwise never reach it.
   */
  const history: Array<{ rv: number; type: ResourceType; event: 'ADDED' | 'MODIFIED' | 'DELETED'; object: KubeObject }> = [];

  function sendEvent(w: Watcher, type: ResourceType, event: 'ADDED' | 'MODIFIED' | 'DELETED', object: KubeObject): void {
    if (w.type !== type || (w.namespace !== undefined && object.metadata?.namespace !== w.namespace)) return;
    if (!matchesFieldSelector(w.fieldSelector, object) || !matchesLabelSelector(w.labelSelector, object.metadata?.labels)) return;
    const served = clone(object);
    served.apiVersion = apiVersionOf(type, w.version);
    served.kind = type.kind;
    w.res.write(`${JSON.stringify({ type: event, object: served })}\n`);
  }

  function notify(type: ResourceType, event: 'ADDED' | 'MODIFIED' | 'DELETED', object: KubeObject): void {
    // A deletion is a change of its own, with a newer resourceVersion.
    if (event === 'DELETED') resourceVersion += 1;
    history.push({ rv: event === 'DELETED' ? resourceVersion : Number(object.metadata?.resourceVersion ?? resourceVersion), type, event, object });
    if (history.length > 1000) history.splice(0, history.length - 1000);
    for (const w of watchers) sendEvent(w, type, event, object);
  }

  for (const object of options.objects ?? []) put(object);

  function isForbidden(resource: string, verb: string, ns: string | undefined): boolean {
    return forbidden.some(
      (r) => r.resource === resource && (r.verb ?? verb) === verb && (r.namespace === undefined || r.namespace === ns),
    );
  }

  function send(res: http.ServerResponse, status: number, body: unknown, contentType = 'application/json'): void {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(text) });
    res.end(text);
  }

  function asServed(stored: Stored, version: string, inList: boolean): KubeObject {
    const obj = clone(stored.object);
    if (inList && !stored.type.custom) {
      delete obj.apiVersion;
      delete obj.kind;
      return obj;
    }
    obj.apiVersion = apiVersionOf(stored.type, version);
    obj.kind = stored.type.kind;
    return obj;
  }

  function discovery(pathname: string): unknown {
    if (pathname === '/api') return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] };
    if (pathname === '/apis') {
      const groups = [...new Set(resourceTypes.filter((t) => t.group).map((t) => t.group))];
      return {
        kind: 'APIGroupList',
        apiVersion: 'v1',
        groups: groups.map((name) => {
          const versions = [...new Set(resourceTypes.filter((t) => t.group === name).flatMap((t) => t.versions))];
          const gv = versions.map((v) => ({ groupVersion: `${name}/${v}`, version: v }));
          return { name, versions: gv, preferredVersion: gv[0] };
        }),
      };
    }
    const m = /^\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))$/.exec(pathname);
    if (!m) return undefined;
    const group = m[2] ?? '';
    const version = m[1] ?? m[3] ?? '';
    const types = resourceTypes.filter((t) => t.group === group && t.versions.includes(version));
    if (types.length === 0) return undefined;
    return {
      kind: 'APIResourceList',
      apiVersion: 'v1',
      groupVersion: group ? `${group}/${version}` : version,
      resources: types.map((t) => ({
        name: t.plural,
        singularName: t.kind.toLowerCase(),
        // kubectl resolves `deploy`, `ns`, `vs`… through these, as on a real cluster.
        ...(shortNames[t.plural] ? { shortNames: shortNames[t.plural] } : {}),
        namespaced: t.namespaced,
        kind: t.kind,
        verbs: t.verbs,
      })),
    };
  }

  async function readBody(req: http.IncomingMessage): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }

  async function proxy(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    ns: string,
    what: 'services' | 'pods',
    target: string,
    rest: string,
  ): Promise<number> {
    const [name = '', port] = target.split(':').filter((p) => p !== 'http' && p !== 'https');
    if (isForbidden(`${what}/proxy`, 'get', ns)) {
      const message = `${what} "${name}" is forbidden: User "system:serviceaccount:checker" cannot get resource "${what}/proxy" in API group "" in the namespace "${ns}"`;
      send(res, 403, statusBody(403, 'Forbidden', message, { name, kind: what }));
      return 403;
    }
    const type = typeByPlural('', 'v1', what);
    if (!type || !store.has(keyOf(type, ns, name))) {
      send(res, 404, statusBody(404, 'NotFound', `${what} "${name}" not found`, { name, kind: what }));
      return 404;
    }
    const handler = proxies.get(`${ns}/${what}/${name}:${port ?? ''}`) ?? proxies.get(`${ns}/${what}/${name}`);
    if (!handler) {
      const message = what === 'services' ? `no endpoints available for service "${name}"` : `error trying to reach service: dial tcp: connect: connection refused`;
      send(res, 503, statusBody(503, 'ServiceUnavailable', message));
      return 503;
    }
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) {
      // The real proxy does not pass the caller's credentials on (kubernetes#38775).
      if (k === 'authorization' || k === 'host' || v === undefined) continue;
      headers[k] = Array.isArray(v) ? v.join(', ') : v;
    }
    const request: ProxyRequest = { method: req.method ?? 'GET', path: rest || '/', headers, body: await readBody(req) };
    let answer: ProxyAnswer;
    if (typeof handler === 'string') {
      const upstream = await fetch(new URL(request.path, handler), {
        method: request.method,
        headers: request.headers,
        body: request.method === 'GET' || request.method === 'HEAD' ? undefined : request.body,
        redirect: 'manual',
      });
      const upstreamHeaders: Record<string, string> = {};
      upstream.headers.forEach((v, k) => {
        if (k !== 'content-length' && k !== 'transfer-encoding' && k !== 'connection') upstreamHeaders[k] = v;
      });
      answer = { status: upstream.status, headers: upstreamHeaders, body: await upstream.text() };
    } else {
      answer = await handler(request);
    }
    res.writeHead(answer.status, { 'content-type': 'text/plain', ...answer.headers, 'content-length': Buffer.byteLength(answer.body) });
    res.end(answer.body);
    return answer.status;
  }

  function podLog(res: http.ServerResponse, ns: string, name: string, query: URLSearchParams): number {
    if (isForbidden('pods/log', 'get', ns)) {
      send(res, 403, statusBody(403, 'Forbidden', `pods "${name}" is forbidden: cannot get resource "pods/log"`));
      return 403;
    }
    const stored = store.get(`/pods/${ns}/${name}`);
    if (!stored) {
      send(res, 404, statusBody(404, 'NotFound', `pods "${name}" not found`, { name, kind: 'pods' }));
      return 404;
    }
    const containers = containerNames(stored.object);
    const container = query.get('container') ?? (containers.length === 1 ? containers[0] : undefined);
    if (!container || !containers.includes(container)) {
      const message = container
        ? `container ${container} is not valid for pod ${name}`
        : `a container name must be specified for pod ${name}, choose one of: [${containers.join(' ')}]`;
      send(res, 400, statusBody(400, 'BadRequest', message));
      return 400;
    }
    const source = logs.get(`${ns}/${name}/${container}`) ?? '';
    const since = query.get('sinceSeconds');
    const text = typeof source === 'string' ? source : source(since ? Number(since) : undefined);
    send(res, 200, text, 'text/plain');
    return 200;
  }

  function handleApi(req: http.IncomingMessage, res: http.ServerResponse, url: URL): number | Promise<number> {
    const pathname = url.pathname.replace(/\/$/, '');
    const method = req.method ?? 'GET';
    if (pathname === '/version') {
      send(res, 200, { major: '1', minor: '35', gitVersion: 'v1.35.8', platform: 'linux/amd64' });
      return 200;
    }
    if (writable && method === 'GET' && (pathname === '/openapi/v3' || pathname.startsWith('/openapi/v3/'))) {
      const doc = openApiV3(pathname.slice('/openapi/v3'.length).replace(/^\//, ''));
      if (doc) {
        send(res, 200, doc);
        return 200;
      }
    }
    const disc = method === 'GET' ? discovery(pathname) : undefined;
    if (disc) {
      send(res, 200, disc);
      return 200;
    }
    const m = /^\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))(?:\/namespaces\/([^/]+))?\/([^/]+)(?:\/([^/]+))?(?:\/(.*))?$/.exec(
      pathname,
    );
    if (!m) {
      send(res, 404, statusBody(404, 'NotFound', 'the server could not find the requested resource'));
      return 404;
    }
    const group = m[2] ?? '';
    const version = m[1] ?? m[3] ?? '';
    const ns = m[4] ? decodeURIComponent(m[4]) : undefined;
    const plural = m[5] ?? '';
    const name = m[6] ? decodeURIComponent(m[6]) : undefined;
    const sub = m[7];
    const type = typeByPlural(group, version, plural);
    if (!type) {
      send(res, 404, statusBody(404, 'NotFound', 'the server could not find the requested resource'));
      return 404;
    }
    if (sub !== undefined && group === '' && (plural === 'services' || plural === 'pods') && name) {
      const rest = sub === 'proxy' || sub.startsWith('proxy/') ? sub.slice('proxy'.length) : undefined;
      // The real proxy keeps a trailing slash (Kiali serves /kiali/ and redirects /kiali there).
      const slash = url.pathname.endsWith('/') && !rest?.endsWith('/') ? '/' : '';
      if (rest !== undefined) return proxy(req, res, ns ?? 'default', plural, name, rest + slash + url.search);
      if (plural === 'pods' && sub === 'log') return podLog(res, ns ?? 'default', name, url.searchParams);
    }
    if (sub !== undefined) {
      send(res, 404, statusBody(404, 'NotFound', 'the server could not find the requested resource'));
      return 404;
    }
    if (method !== 'GET' && writable) return write(req, res, method, type, version, ns, name);
    if (method !== 'GET') {
      // Checkers must never write; answer as RBAC would for a read-only identity.
      send(res, 403, statusBody(403, 'Forbidden', `${plural} is forbidden: the checker identity is read-only (${method})`));
      return 403;
    }
    const verb = name ? 'get' : 'list';
    if (isForbidden(plural, verb, ns)) {
      const where = ns ? `in the namespace "${ns}"` : 'at the cluster scope';
      const message = `${plural}${name ? ` "${name}"` : ''} is forbidden: User "system:serviceaccount:platform:checker" cannot ${verb} resource "${plural}" in API group "${group}" ${where}`;
      send(res, 403, statusBody(403, 'Forbidden', message, { name, group, kind: plural }));
      return 403;
    }
    if (name) {
      const stored = store.get(keyOf(type, ns, name));
      if (!stored) {
        const what = group ? `${plural}.${group}` : plural;
        send(res, 404, statusBody(404, 'NotFound', `${what} "${name}" not found`, { name, group, kind: plural }));
        return 404;
      }
      send(res, 200, asServed(stored, version, false));
      return 200;
    }
    const selector = url.searchParams.get('labelSelector') ?? undefined;
    const fieldSelector = url.searchParams.get('fieldSelector') ?? undefined;
    if (writable && ['true', '1'].includes(url.searchParams.get('watch') ?? '')) {
      // Events after the resourceVersion asked for (kubectl lists first, then watches from the list's), then from now on.
      res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
      res.flushHeaders(); // a client waits for the headers before it reads any event
      const watcher: Watcher = { type, version, namespace: type.namespaced ? ns : undefined, fieldSelector, labelSelector: selector, res };
      const since = Number(url.searchParams.get('resourceVersion') ?? Number.NaN);
      if (Number.isFinite(since) && since > 0) for (const e of history) if (e.rv > since) sendEvent(watcher, e.type, e.event, e.object);
      watchers.add(watcher);
      res.on('close', () => watchers.delete(watcher));
      const seconds = Number(url.searchParams.get('timeoutSeconds') ?? 0);
      if (seconds > 0) later(seconds * 1000, () => res.end());
      return 200;
    }
    let items: KubeObject[];
    try {
      items = [...store.values()]
        .filter((s) => s.type === type && (!type.namespaced || ns === undefined || s.object.metadata?.namespace === ns))
        .filter((s) => matchesLabelSelector(selector, s.object.metadata?.labels))
        .filter((s) => matchesFieldSelector(fieldSelector, s.object))
        .sort((a, b) => sortKey(a.object).localeCompare(sortKey(b.object)))
        .map((s) => asServed(s, version, true));
    } catch (error) {
      if (error instanceof LabelSelectorError) {
        send(res, 400, statusBody(400, 'BadRequest', error.message));
        return 400;
      }
      throw error;
    }
    send(res, 200, {
      kind: `${type.kind}List`,
      apiVersion: apiVersionOf(type, version),
      metadata: { resourceVersion: String(resourceVersion) },
      items,
    });
    return 200;
  }

  function later(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn();
    }, ms);
    timers.add(timer);
  }

  /**
   * Namespaces go Terminating; the namespace controller deletes their objects at once, but pods take
   * their grace period to stop, and the namespace itself goes only after the last one
   * (`namespaceTerminationMs` here). Until then the namespace refuses new objects.
   */
  function deleteNamespace(stored: Stored): void {
    const name = stored.object.metadata?.name ?? '';
    if (stored.object.metadata?.deletionTimestamp) return;
    const terminating = clone(stored.object);
    (terminating.metadata ??= {}).deletionTimestamp = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    terminating.status = { ...(terminating.status as object | undefined), phase: 'Terminating' };
    put(terminating);
    const inside = () => [...store.entries()].filter(([, s]) => s.type.namespaced && s.object.metadata?.namespace === name);
    for (const [key, s] of inside()) if (s.type.kind !== 'Pod') drop(key);
    later(terminationMs, () => {
      for (const [key] of inside()) drop(key);
      drop(keyOf(stored.type, undefined, name));
    });
  }

  async function write(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    method: string,
    type: ResourceType,
    version: string,
    ns: string | undefined,
    name: string | undefined,
  ): Promise<number> {
    const text = await readBody(req);
    const what = type.group ? `${type.plural}.${type.group}` : type.plural;
    const fail = (code: number, reason: string, message: string) => {
      send(res, code, statusBody(code, reason, message, { name, group: type.group, kind: type.plural }));
      return code;
    };
    let body: KubeObject | undefined;
    try {
      body = text ? (JSON.parse(text) as KubeObject) : undefined;
    } catch {
      return fail(400, 'BadRequest', 'the body of the request was in an unknown format');
    }
    const existing = name ? store.get(keyOf(type, ns, name)) : undefined;
    if (method === 'POST' && !name) {
      const objName = body?.metadata?.name ?? '';
      if (!body || !objName) return fail(422, 'Invalid', `${type.kind} is invalid: metadata.name: Required value`);
      if (type.namespaced) {
        const nsObj = store.get(keyOf(typeByKind('v1', 'Namespace')!, undefined, ns ?? 'default'))?.object;
        if (!nsObj) return fail(404, 'NotFound', `namespaces "${ns ?? 'default'}" not found`);
        // What the NamespaceLifecycle admission plugin answers while the namespace controller empties it.
        if (nsObj.metadata?.deletionTimestamp)
          return fail(403, 'Forbidden', `${what} "${objName}" is forbidden: unable to create new content in namespace ${ns ?? 'default'} because it is being terminated`);
      }
      if (store.has(keyOf(type, ns, objName))) return fail(409, 'AlreadyExists', `${what} "${objName}" already exists`);
      put({ ...body, apiVersion: apiVersionOf(type, version), kind: type.kind, metadata: { ...body.metadata, ...(type.namespaced ? { namespace: ns ?? 'default' } : {}) } });
      send(res, 201, asServed(store.get(keyOf(type, ns, objName))!, version, false));
      return 201;
    }
    if (!name || !existing) return fail(404, 'NotFound', `${what} "${name ?? ''}" not found`);
    if (method === 'DELETE') {
      if (type.kind === 'Namespace') deleteNamespace(existing);
      else drop(keyOf(type, ns, name));
      send(res, 200, asServed(store.get(keyOf(type, ns, name)) ?? existing, version, false));
      return 200;
    }
    if (method === 'PUT' && body) {
      put({ ...body, apiVersion: apiVersionOf(type, version), kind: type.kind });
    } else if (method === 'PATCH' && body) {
      const contentType = req.headers['content-type'] ?? '';
      if (!/merge-patch\+json|strategic-merge-patch\+json/.test(contentType))
        return fail(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/merge-patch+json, application/strategic-merge-patch+json (got ${contentType})`);
      const patched = clone(existing.object);
      mergePatch(patched as Record<string, unknown>, body as Record<string, unknown>);
      put(patched);
    } else {
      return fail(405, 'MethodNotAllowed', `${method} is not supported here`);
    }
    send(res, 200, asServed(store.get(keyOf(type, ns, name))!, version, false));
    return 200;
  }

  const server = http.createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      let status = 500;
      try {
        if (latency > 0) await new Promise((r) => setTimeout(r, latency));
        if (!authorized(req.headers.authorization)) {
          status = 401;
          send(res, 401, statusBody(401, 'Unauthorized', 'Unauthorized'));
        } else {
          status = await handleApi(req, res, url);
        }
      } catch (error) {
        status = 500;
        if (!res.headersSent) send(res, 500, statusBody(500, 'InternalError', (error as Error).message));
        else res.destroy();
      }
      requests.push({ method: req.method ?? 'GET', path: url.pathname + url.search, status });
    })();
  });

  const wss = new WebSocketServer({
    noServer: true,
    handleProtocols: (protocols) => {
      for (const p of ['v5.channel.k8s.io', 'v4.channel.k8s.io']) if (protocols.has(p)) return p;
      return false;
    },
  });

  function rejectUpgrade(socket: Socket, status: number, body: unknown): void {
    const text = JSON.stringify(body);
    socket.end(
      `HTTP/1.1 ${status} ${http.STATUS_CODES[status] ?? ''}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(text)}\r\n\r\n${text}`,
    );
  }

  server.on('upgrade', (req: http.IncomingMessage, socket: Socket, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const m = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/exec$/.exec(url.pathname);
    const record = (status: number) => requests.push({ method: 'EXEC', path: url.pathname + url.search, status });
    if (!authorized(req.headers.authorization)) {
      record(401);
      return rejectUpgrade(socket, 401, statusBody(401, 'Unauthorized', 'Unauthorized'));
    }
    if (!m) {
      record(404);
      return rejectUpgrade(socket, 404, statusBody(404, 'NotFound', 'the server could not find the requested resource'));
    }
    const ns = decodeURIComponent(m[1] ?? '');
    const podName = decodeURIComponent(m[2] ?? '');
    if (isForbidden('pods/exec', 'create', ns)) {
      record(403);
      return rejectUpgrade(socket, 403, statusBody(403, 'Forbidden', `pods "${podName}" is forbidden: cannot create resource "pods/exec"`));
    }
    const stored = store.get(`/pods/${ns}/${podName}`);
    if (!stored) {
      record(404);
      return rejectUpgrade(socket, 404, statusBody(404, 'NotFound', `pods "${podName}" not found`));
    }
    const container = url.searchParams.get('container') ?? containerNames(stored.object)[0] ?? '';
    if (!containerNames(stored.object).includes(container)) {
      record(400);
      return rejectUpgrade(socket, 400, statusBody(400, 'BadRequest', `container ${container} is not valid for pod ${podName}`));
    }
    const command = url.searchParams.getAll('command');
    wss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
      record(101);
      void runExec(ws, { namespace: ns, pod: podName, container, command }, stored.object);
    });
  });

  async function runExec(ws: WebSocket, call: ExecCall, pod: KubeObject): Promise<void> {
    const frame = (channel: number, text: string) => Buffer.concat([Buffer.from([channel]), Buffer.from(text, 'utf8')]);
    let answer: ExecAnswer;
    try {
      if (!execHandler) answer = { stderr: `OCI runtime exec failed: exec: "${call.command[0] ?? ''}": executable file not found in $PATH`, exitCode: 126 };
      else answer = await execHandler(call, pod);
    } catch (error) {
      answer = { stderr: (error as Error).message, exitCode: 1 };
    }
    if (answer.stdout) ws.send(frame(1, answer.stdout));
    if (answer.stderr) ws.send(frame(2, answer.stderr));
    const status =
      answer.exitCode === 0
        ? { metadata: {}, status: 'Success' }
        : {
            metadata: {},
            status: 'Failure',
            message: `command terminated with non-zero exit code: error executing command [${call.command.join(' ')}], exit code ${answer.exitCode}`,
            reason: 'NonZeroExitCode',
            details: { causes: [{ reason: 'ExitCode', message: String(answer.exitCode) }] },
          };
    ws.send(frame(3, JSON.stringify(status)));
    ws.close(1000);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  const kubeconfigYaml = [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: fake',
    '  cluster:',
    `    server: ${url}`,
    '    insecure-skip-tls-verify: true',
    'users:',
    '- name: checker',
    token === null ? '  user: {}' : '  user:',
    ...(token === null ? [] : [`    token: ${token}`]),
    'contexts:',
    '- name: fake',
    '  context: {cluster: fake, user: checker, namespace: default}',
    'current-context: fake',
    '',
  ].join('\n');
  const dir = mkdtempSync(path.join(tmpdir(), 'fake-kube-'));
  const kubeconfigPath = path.join(dir, 'kubeconfig');
  writeFileSync(kubeconfigPath, kubeconfigYaml, { mode: 0o600 });

  return {
    url,
    kubeconfigPath,
    kubeconfigYaml,
    set(objects) {
      store.clear();
      for (const o of objects) put(o);
    },
    add(...objects) {
      for (const o of objects) put(o);
    },
    remove(apiVersion, kind, namespace, name) {
      const type = typeByKind(apiVersion, kind);
      if (!type) return false;
      return store.delete(keyOf(type, namespace, name));
    },
    objects() {
      return [...store.values()].map((s) => asServed(s, splitApiVersion(s.object.apiVersion ?? 'v1').version, false));
    },
    setProxyHandler(prefix, handler) {
      proxies.set(prefix, handler);
    },
    setExecHandler(handler) {
      execHandler = handler;
    },
    setLogs(namespace, pod, container, source) {
      logs.set(`${namespace}/${pod}/${container}`, source);
    },
    forbid(rule) {
      forbidden.push(rule);
    },
    setNamespaceTerminationMs(ms) {
      terminationMs = ms;
    },
    setLatency(ms) {
      latency = ms;
    },
    requests,
    async close() {
      for (const timer of timers) clearTimeout(timer);
      for (const w of watchers) w.res.end();
      for (const client of wss.clients) client.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Just enough OpenAPI v3 for kubectl apply: each PATCH operation names its kind and accepts the
 * `fieldValidation` query parameter, so kubectl leaves validation to the server (which this double
 * skips) instead of downloading schemas. No strategic-merge body: kubectl then builds its patch
 * from its compiled-in types.
 */
function openApiV3(gvPath: string): unknown {
  const gvs = new Map<string, { group: string; version: string }>();
  for (const t of resourceTypes) for (const v of t.versions) gvs.set(t.group ? `apis/${t.group}/${v}` : `api/${v}`, { group: t.group, version: v });
  if (gvPath === '') return { paths: Object.fromEntries([...gvs.keys()].map((p) => [p, { serverRelativeURL: `/openapi/v3/${p}?hash=fake` }])) };
  const gv = gvs.get(gvPath);
  if (!gv) return undefined;
  const paths: Record<string, unknown> = {};
  for (const t of resourceTypes.filter((r) => r.group === gv.group && r.versions.includes(gv.version))) {
    const at = `/${gvPath}${t.namespaced ? '/namespaces/{namespace}' : ''}/${t.plural}/{name}`;
    paths[at] = {
      patch: {
        'x-kubernetes-action': 'patch',
        'x-kubernetes-group-version-kind': { group: t.group, version: gv.version, kind: t.kind },
        parameters: [{ name: 'fieldValidation', in: 'query', schema: { type: 'string' } }],
        requestBody: { content: { 'application/merge-patch+json': { schema: { type: 'object' } } } },
        responses: { '200': { description: 'OK' } },
      },
    };
  }
  return { openapi: '3.0.0', info: { title: 'Kubernetes', version: 'v1.35.8' }, paths, components: { schemas: {} } };
}

/**
 * What the Deployment controller reports once a rollout finished (no pods are made here), so
 * `kubectl rollout status` in a lab script returns at once.
 */
function rolledOut(d: KubeObject, before: KubeObject | undefined): void {
  const meta = (d.metadata ??= {});
  const changed = !before || JSON.stringify(before.spec) !== JSON.stringify(d.spec);
  meta.generation = Number(before?.metadata?.generation ?? 0) + (changed ? 1 : 0);
  const replicas = (d.spec as { replicas?: number } | undefined)?.replicas ?? 1;
  d.status = {
    observedGeneration: meta.generation,
    replicas,
    updatedReplicas: replicas,
    readyReplicas: replicas,
    availableReplicas: replicas,
    conditions: [
      { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' },
      { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable' },
    ],
  };
}

interface Watcher {
  type: ResourceType;
  version: string;
  namespace: string | undefined;
  fieldSelector: string | undefined;
  labelSelector: string | undefined;
  res: http.ServerResponse;
}

/** JSON merge patch; a strategic merge patch read the same way (lists replaced, `$` directives ignored). */
function mergePatch(target: Record<string, unknown>, patch: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(patch)) {
    if (k.startsWith('$')) continue;
    if (v === null) delete target[k];
    else if (typeof v === 'object' && !Array.isArray(v) && typeof target[k] === 'object' && target[k] !== null && !Array.isArray(target[k]))
      mergePatch(target[k] as Record<string, unknown>, v as Record<string, unknown>);
    else target[k] = clone(v);
  }
}

function sortKey(o: KubeObject): string {
  return `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;
}

function containerNames(pod: KubeObject): string[] {
  const spec = (pod.spec ?? {}) as { containers?: Array<{ name: string }>; initContainers?: Array<{ name: string }> };
  return [...(spec.containers ?? []), ...(spec.initContainers ?? [])].map((c) => c.name);
}

function fieldValue(o: KubeObject, field: string): string | undefined {
  let cur: unknown = o;
  for (const part of field.split('.')) {
    if (cur && typeof cur === 'object') cur = (cur as Record<string, unknown>)[part];
    else return undefined;
  }
  return cur === undefined ? undefined : String(cur);
}

function matchesFieldSelector(selector: string | undefined, o: KubeObject): boolean {
  if (!selector) return true;
  return selector.split(',').every((part) => {
    const m = /^([\w.]+)\s*(!=|==|=)\s*(.*)$/.exec(part.trim());
    if (!m) throw new LabelSelectorError(`invalid field selector: "${part}"`);
    const value = fieldValue(o, m[1] ?? '');
    return m[2] === '!=' ? value !== m[3] : value === m[3];
  });
}
