import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '../cluster-reader';
import { heredocBlocks } from '../manifests/extract-manifests';
import { answerGrafana, grafanaPod, grafanaStoreOf, savedDashboardsAnnotation } from './grafana-model';
import { namespace as namespaceObject } from './testdata/kube-builders';

/**
 * Replays a lab's shell scripts (setup, step solutions) against an in-memory object list, the way
 * kubectl plus the cluster's controllers would leave it: applied objects stored, Deployments get
 * Running pods, the injector adds a native istio-proxy in labelled namespaces, `rollout restart`
 * re-creates pods, `istioctl kube-inject` writes the proxy into the template. It understands only
 * the commands lab scripts use; any other command that would change the cluster is an error, so a
 * solution the emulator cannot follow is reported rather than silently skipped.
 */
export class SolutionRunner {
  private objects: KubeObject[];
  private podSerial = 0;
  /** L17: `… | jq … | while read -r VAR; do …` binds VAR to each line jq printed, until `done`. */
  private loopValues: { name: string; values: string[] } | undefined;

  constructor(initial: KubeObject[]) {
    this.objects = structuredClone(initial);
  }

  state(): KubeObject[] {
    return structuredClone(this.objects);
  }

  /** `args` stand in for `$1`, `$2`… (a shared script called with arguments). */
  runScript(file: string, args: string[] = []): void {
    const text = readFileSync(file, 'utf8').replace(/"\$\{?([1-9])\}?"|\$\{?([1-9])\}?/g, (m, quoted?: string, bare?: string) => args[Number(quoted ?? bare) - 1] ?? m);
    const lines = joinContinuations(text.split('\n'));
    const heredocs = new Map(heredocBlocks(lines.join('\n')).map((b) => [b.line - 1, b.text]));
    for (let i = 0; i < lines.length; i++) {
      const line = (lines[i] ?? '').trim();
      if (!line || line.startsWith('#')) continue;
      const body = heredocs.get(i + 1) ?? curlHeredoc(lines, i);
      if (body !== undefined) {
        this.runCommand(line, body, file);
        i += body.split('\n').length + 1; // skip the heredoc and its delimiter
        continue;
      }
      this.runCommand(line, undefined, file);
    }
  }

  private runCommand(line: string, heredoc: string | undefined, file: string): void {
    const where = `${path.basename(path.dirname(file))}/${path.basename(file)}: ${line}`;
    for (const rawPart of splitCommands(line)) {
      // Shell control words around a command (`do curl ...`, `then kubectl get ...`) are not commands.
      const part = rawPart.replace(/^(?:do|then|else)\s+/, '');
      const words = shellWords(part);
      const cmd = words[0] ?? '';
      if (cmd === 'done') this.loopValues = undefined;
      if (['for', 'while', 'until', 'if', 'elif', 'done', 'fi', 'do', 'then', 'else', '{', '}'].includes(cmd)) continue;
      if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(cmd)) continue; // VAR=value
      // L17: curl to Grafana's HTTP API writes dashboards (the pod's emptyDir in the model); other curl only reads.
      if (cmd === 'curl' && this.grafanaCurl(part, heredoc, where)) {
        if (heredoc !== undefined) return;
        continue;
      }
      if (['set', 'echo', 'sleep', 'curl', 'export', 'true', 'printf', 'cd', 'seq', 'read', 'test', '['].includes(cmd)) continue;
      if (cmd === 'istioctl') {
        if (words[1] === 'kube-inject') this.apply(heredoc ?? '', flag(part.split('|')[1] ?? '', '-n'), true, where);
        else if (['proxy-status', 'analyze', 'x', 'experimental', 'version', 'proxy-config', 'pc', 'ps'].includes(words[1] ?? '')) continue;
        else throw new Error(`solution emulator cannot run: ${where}`);
        return;
      }
      if (cmd === 'bash') {
        // A script next to this one (labs/shared, an earlier lab's solution): replay it in place.
        const called = /^bash\s+"\$\(dirname "\$0"\)\/([^"]+)"(.*)$/.exec(part);
        if (!called) throw new Error(`solution emulator cannot run: ${where}`);
        this.runScript(path.resolve(path.dirname(file), called[1] ?? ''), shellWords(called[2] ?? ''));
        continue;
      }
      if (cmd !== 'kubectl') throw new Error(`solution emulator cannot run: ${where}`);
      const ns = flag(part, '-n') ?? flag(part, '--namespace');
      const args = positional(words.slice(1));
      if (args.length === 0 && words.includes('--help')) continue;
      const verb = args[0] ?? '';
      const stages = splitPipes(part);
      if (verb === 'get' && stages.length > 1 && stages.slice(1).some((s) => /^kubectl\s/.test(s))) {
        // `kubectl get X -o json | jq F | kubectl replace -f -`: an edit of a stored object (L11's CoreDNS hosts block).
        this.editViaJq(stages, ns, where);
        continue;
      }
      if (['get', 'describe', 'wait', 'exec', 'logs', 'top', 'explain', 'version', 'config'].includes(verb)) continue;
      if (verb === 'rollout' && args[1] === 'status') continue;
      if (verb === 'create' && (args[1] === 'namespace' || args[1] === 'ns')) {
        this.ensureNamespace(args[2] ?? '');
        return; // `| kubectl apply -f -` of its own dry-run output adds nothing more
      }
      if (verb === 'label' && (args[1] === 'namespace' || args[1] === 'ns')) {
        this.labelNamespace(args[2] ?? '', args.slice(3));
        continue;
      }
      if (verb === 'apply' && heredoc !== undefined) {
        this.apply(heredoc, ns, false, where);
        return;
      }
      if (verb === 'apply' && flag(part, '-f') && flag(part, '-f') !== '-') {
        const target = flag(part, '-f') ?? '';
        if (/^https?:/.test(target)) throw new Error(`solution emulator cannot fetch ${target}: ${where}`);
        this.apply(readFileSync(path.resolve(labDirOf(file), target), 'utf8'), ns, false, where);
        continue;
      }
      if (verb === 'patch') {
        this.patch(args[1] ?? '', args[2] ?? '', ns, flag(part, '-p') ?? flag(part, '--patch'), flag(part, '--type'), where);
        continue;
      }
      if (verb === 'rollout' && args[1] === 'restart') {
        this.restart(ns ?? 'default', args.slice(2));
        continue;
      }
      if (verb === 'delete' && heredoc !== undefined) {
        this.deleteObjects(heredoc, ns);
        return;
      }
      if (verb === 'delete') {
        this.delete(args.slice(1), ns);
        continue;
      }
      throw new Error(`solution emulator cannot run: ${where}`);
    }
  }

  // ── L17: Grafana's HTTP API, as lab scripts call it with curl from the toolbox ──

  /**
   * A curl to Grafana (`$GRAFANA_URL`, grafana.istio-system:3000 or its service-proxy path): `POST
   * /api/dashboards/db` with a JSON body (heredoc or -d) saves a dashboard, `-X DELETE
   * /api/dashboards/uid/<uid>` deletes one, and a search piped through the real jq into `while read -r
   * VAR` binds VAR for a DELETE inside the loop. Saved dashboards live on the Grafana pod (its emptyDir),
   * so a rollout restart of Grafana loses them as the real one does. Returns false for curl that is not
   * Grafana's (the caller treats it as read-only traffic); throws for a Grafana write it cannot follow.
   */
  private grafanaCurl(part: string, heredoc: string | undefined, where: string): boolean {
    const stages = splitPipes(part);
    const words = shellWords(stages[0] ?? '');
    const target = words.find((w) => /(\$\{?GRAFANA_URL\}?|grafana[.:]|services\/grafana:3000\/proxy)/.test(w) && !w.startsWith('-'));
    if (!target) return false;
    const path = target.replace(/^.*?(\/api\/)/, '/api/');
    const method = (flag(stages[0] ?? '', '-X') ?? flag(stages[0] ?? '', '--request') ?? (heredoc !== undefined || dataFlag(words) !== undefined ? 'POST' : 'GET')).toUpperCase();
    const pod = grafanaPod(this.objects);
    if (method === 'GET') {
      const loop = stages.length === 3 ? /^while\s+read\s+(?:-r\s+)?([A-Za-z_]\w*)$/.exec(stages[2] ?? '') : null;
      if (!loop) return true; // a read: nothing changes
      const jqWords = shellWords(stages[1] ?? '');
      if (jqWords[0] !== 'jq') throw new Error(`solution emulator cannot run: ${where}`);
      const answer = answerGrafana(grafanaStoreOf(this.objects), 'GET', path);
      const run = spawnSync('jq', jqWords.slice(1), { input: JSON.stringify(answer.body), encoding: 'utf8' });
      if (run.error || run.status !== 0) throw new Error(`jq failed (${run.error?.message ?? run.stderr.trim()}): ${where}`);
      this.loopValues = { name: loop[1] ?? '', values: run.stdout.split('\n').filter(Boolean) };
      return true;
    }
    if (!pod?.metadata) throw new Error(`Grafana is not running (no pod app=grafana in istio-system): ${where}`);
    const loopVar = this.loopValues && new RegExp(`\\$\\{?${this.loopValues.name}\\}?`);
    const paths = loopVar && loopVar.test(path) ? this.loopValues!.values.map((v) => path.replace(loopVar, v)) : [path];
    if (paths.some((p) => p.includes('$'))) throw new Error(`solution emulator cannot expand ${path}: ${where}`);
    const body = method === 'POST' ? parseJsonBody(heredoc ?? dataFlag(words), where) : undefined;
    const store = grafanaStoreOf(this.objects);
    for (const p of paths) {
      const answer = answerGrafana(store, method, p, body);
      // `curl -f` fails the script on an HTTP error, as it would in the toolbox.
      if (answer.status >= 400 && words.some((w) => /^-[a-zA-Z]*f[a-zA-Z]*$/.test(w) || w === '--fail')) throw new Error(`Grafana answered ${answer.status} ${JSON.stringify(answer.body)}: ${where}`);
    }
    pod.metadata.annotations = { ...pod.metadata.annotations, [savedDashboardsAnnotation]: JSON.stringify(store.dashboards.filter((d) => !d.provisioned)) };
    return true;
  }

  /** Runs the jq filter (the real jq, as the toolbox has it) on the stored object and stores the result. */
  private editViaJq(stages: string[], ns: string | undefined, where: string): void {
    const [get = '', ...rest] = stages;
    const jqStage = rest.length === 2 ? rest[0] : undefined;
    const write = shellWords(rest.at(-1) ?? '');
    const jqWords = shellWords(jqStage ?? '');
    if (!jqStage || jqWords[0] !== 'jq' || write[0] !== 'kubectl' || !['replace', 'apply'].includes(write[1] ?? '') || flag(get, '-o') !== 'json')
      throw new Error(`solution emulator cannot run: ${where}`);
    const [, kind = '', name = ''] = positional(shellWords(get).slice(1));
    const wanted = kind.toLowerCase().replace(/s$/, '');
    const target = this.objects.find((o) => o.kind?.toLowerCase() === wanted && o.metadata?.name === name && (o.metadata?.namespace ?? 'default') === (ns ?? 'default'));
    // Under `set -e -o pipefail` a missing object fails the script, as kubectl get would.
    if (!target) throw new Error(`${kind} ${name} not found: ${where}`);
    const filter = jqWords.slice(1).filter((w) => !w.startsWith('-'));
    const run = spawnSync('jq', [...jqWords.slice(1).filter((w) => w.startsWith('-')), ...filter], { input: JSON.stringify(target), encoding: 'utf8' });
    if (run.error) throw new Error(`solution emulator needs jq on PATH for: ${where} (${run.error.message})`);
    if (run.status !== 0) throw new Error(`jq failed (${run.stderr.trim()}): ${where}`);
    const edited = JSON.parse(run.stdout) as KubeObject;
    this.objects = this.objects.map((o) => (o === target ? edited : o));
  }

  private ensureNamespace(name: string): void {
    if (!this.objects.some((o) => o.kind === 'Namespace' && o.metadata?.name === name)) this.objects.push(namespaceObject(name));
  }

  private labelNamespace(name: string, changes: string[]): void {
    const ns = this.objects.find((o) => o.kind === 'Namespace' && o.metadata?.name === name);
    if (!ns?.metadata) throw new Error(`namespace ${name} not found`);
    const labels = (ns.metadata.labels ??= {});
    for (const change of changes.filter((c) => !c.startsWith('-'))) {
      if (change.endsWith('-')) delete labels[change.slice(0, -1)];
      else {
        const [k = '', v = ''] = change.split('=');
        labels[k] = v;
      }
    }
  }

  private apply(text: string, ns: string | undefined, kubeInject: boolean, where: string): void {
    for (const doc of parseAllDocuments(text)) {
      const obj = doc.toJS() as KubeObject | null;
      if (!obj) continue;
      if (!obj.kind || !obj.apiVersion) throw new Error(`not an object in ${where}`);
      const meta = (obj.metadata ??= {});
      if (obj.kind !== 'Namespace') meta.namespace ??= ns ?? 'default';
      if (obj.kind === 'Namespace') this.ensureNamespace(meta.name ?? '');
      if (obj.kind === 'Deployment' && kubeInject) injectTemplate(obj);
      this.objects = this.objects.filter((o) => !(o.kind === obj.kind && o.metadata?.name === meta.name && o.metadata?.namespace === meta.namespace));
      if (obj.kind !== 'Namespace') this.objects.push(obj);
      if (obj.kind === 'Deployment') this.rollOut(obj);
    }
  }

  /** `kubectl patch`: JSON merge / strategic merge (lists replaced, which is what lab patches need). */
  private patch(kind: string, name: string, ns: string | undefined, patchText: string | undefined, type: string | undefined, where: string): void {
    if (!patchText || type === 'json') throw new Error(`solution emulator cannot run this patch: ${where}`);
    const [k, n] = kind.includes('/') ? kind.split('/') : [kind, name];
    const wanted = (k ?? '').toLowerCase().replace(/s$/, '');
    const target = this.objects.find((o) => o.kind?.toLowerCase() === wanted && o.metadata?.name === n && (o.kind === 'Namespace' || (o.metadata?.namespace ?? 'default') === (ns ?? 'default')));
    if (!target) throw new Error(`patch target not found: ${where}`);
    mergePatch(target, JSON.parse(patchText) as Record<string, unknown>);
    if (target.kind === 'Deployment') this.rollOut(target);
  }

  private deleteObjects(text: string, ns: string | undefined): void {
    for (const doc of parseAllDocuments(text)) {
      const obj = doc.toJS() as KubeObject | null;
      if (obj?.kind) this.objects = this.objects.filter((o) => !(o.kind === obj.kind && o.metadata?.name === obj.metadata?.name && (o.metadata?.namespace ?? '') === (obj.metadata?.namespace ?? ns ?? 'default')));
    }
  }

  private restart(ns: string, targets: string[]): void {
    const names = targets.map((t) => t.replace(/^(deploy|deployment|deployments)\//, '')).filter((t) => !['deploy', 'deployment', 'deployments'].includes(t));
    for (const d of this.objects.filter((o) => o.kind === 'Deployment' && o.metadata?.namespace === ns)) {
      if (names.length === 0 || names.includes(d.metadata?.name ?? '')) this.rollOut(d);
    }
  }

  private delete(args: string[], ns: string | undefined): void {
    const [kind = '', ...names] = args.filter((a) => !a.startsWith('--'));
    if (kind === 'namespace' || kind === 'ns') {
      const gone = new Set(names);
      this.objects = this.objects.filter((o) => !gone.has(o.metadata?.namespace ?? '') && !(o.kind === 'Namespace' && gone.has(o.metadata?.name ?? '')));
      return;
    }
    const wanted = kind.toLowerCase().replace(/s$/, '').replace(/^deploy$/, 'deployment');
    const here = ns ?? 'default';
    this.objects = this.objects.filter((o) => !(o.kind?.toLowerCase() === wanted && (o.metadata?.namespace ?? '') === here && names.includes(o.metadata?.name ?? '')));
    // The garbage collector takes a deleted Deployment's pods with it.
    if (wanted === 'deployment')
      this.objects = this.objects.filter((o) => !(o.kind === 'Pod' && o.metadata?.namespace === here && o.metadata.labels?.['pod-template-hash'] && names.some((n) => (o.metadata?.name ?? '').startsWith(`${n}-`))));
  }

  /** Replaces a Deployment's pods with new ones, injected as the webhook would decide now. */
  private rollOut(d: KubeObject): void {
    const ns = d.metadata?.namespace ?? 'default';
    const name = d.metadata?.name ?? '';
    const spec = d.spec as { replicas?: number; selector?: { matchLabels?: Record<string, string> }; template?: { metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> }; spec?: Record<string, unknown> } };
    this.objects = this.objects.filter((o) => !(o.kind === 'Pod' && o.metadata?.namespace === ns && (o.metadata.name ?? '').startsWith(`${name}-`) && o.metadata.labels?.['pod-template-hash']));
    const nsLabels = this.objects.find((o) => o.kind === 'Namespace' && o.metadata?.name === ns)?.metadata?.labels ?? {};
    const podLabels = spec.template?.metadata?.labels ?? {};
    const templateContainers = (spec.template?.spec?.['containers'] ?? []) as Array<Record<string, unknown>>;
    const templateInit = (spec.template?.spec?.['initContainers'] ?? []) as Array<Record<string, unknown>>;
    const alreadyInjected = [...templateContainers, ...templateInit].some((c) => c['name'] === 'istio-proxy');
    const nsOn = nsLabels['istio-injection'] === 'enabled' || nsLabels['istio.io/rev'] !== undefined;
    const inject = !alreadyInjected && podLabels['sidecar.istio.io/inject'] !== 'false' && (nsOn || podLabels['sidecar.istio.io/inject'] === 'true');
    const podSpec = structuredClone(spec.template?.spec ?? {});
    const annotations = { ...spec.template?.metadata?.annotations };
    if (inject) {
      podSpec['initContainers'] = [...templateInit, ...nativeProxy()];
      annotations['sidecar.istio.io/status'] = '{"initContainers":["istio-init","istio-proxy"],"containers":null,"revision":"default"}';
    }
    this.podSerial += 1;
    const hash = `r${this.podSerial.toString(36).padStart(9, '0')}`;
    for (let i = 0; i < (spec.replicas ?? 1); i++) {
      this.objects.push({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: `${name}-${hash}-${i}x${this.podSerial}`, namespace: ns, labels: { ...podLabels, 'pod-template-hash': hash }, annotations },
        spec: podSpec,
        status: {
          phase: 'Running',
          conditions: ['Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map((type) => ({ type, status: 'True' })),
        },
      });
    }
    d.status = {
      replicas: spec.replicas ?? 1,
      readyReplicas: spec.replicas ?? 1,
      availableReplicas: spec.replicas ?? 1,
      conditions: [{ type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' }],
    };
  }
}

/** L17: the body of `curl … --data-binary @- <<'JSON'` (manifest heredocs are found by heredocBlocks). */
function curlHeredoc(lines: string[], i: number): string | undefined {
  const line = lines[i] ?? '';
  const m = /<<-?\s*(['"]?)([A-Za-z_]\w*)\1/.exec(line);
  if (!m || !/^\s*curl\s/.test(line)) return undefined;
  const end = lines.findIndex((l, j) => j > i && l.trimEnd() === m[2]);
  if (end < 0) throw new Error(`unterminated heredoc ${m[2] ?? ''}: ${line}`);
  return lines.slice(i + 1, end).join('\n');
}

/** L17: the value of curl's -d / --data / --data-raw / --data-binary, unless it reads a file (`@-` is the heredoc). */
function dataFlag(words: string[]): string | undefined {
  for (let i = 0; i < words.length; i++) {
    const w = words[i] ?? '';
    if (['-d', '--data', '--data-raw', '--data-binary'].includes(w)) {
      const v = words[i + 1] ?? '';
      return v.startsWith('@') ? undefined : v;
    }
  }
  return undefined;
}

function parseJsonBody(text: string | undefined, where: string): unknown {
  if (text === undefined) throw new Error(`no request body for Grafana: ${where}`);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new Error(`the body sent to Grafana is not JSON (${(error as Error).message}): ${where}`);
  }
}

function labDirOf(file: string): string {
  const dir = path.dirname(file);
  return path.basename(dir) === 'solutions' ? path.dirname(dir) : dir;
}

function mergePatch(target: Record<string, unknown>, patch: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete target[k];
    else if (typeof v === 'object' && !Array.isArray(v) && typeof target[k] === 'object' && target[k] !== null && !Array.isArray(target[k])) mergePatch(target[k] as Record<string, unknown>, v as Record<string, unknown>);
    else target[k] = structuredClone(v);
  }
}

/** Splits one command at single pipes outside quotes. */
function splitPipes(command: string): string[] {
  const out: string[] = [];
  let current = '';
  let quote: string | undefined;
  for (const ch of command) {
    if (quote) {
      if (ch === quote) quote = undefined;
    } else if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '|') {
      out.push(current.trim());
      current = '';
      continue;
    }
    current += ch;
  }
  out.push(current.trim());
  return out.filter(Boolean);
}

/** Splits a command line at `&&`, `||`, `;` outside quotes. */
function splitCommands(line: string): string[] {
  const out: string[] = [];
  let current = '';
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i] ?? '';
    if (quote) {
      if (ch === quote) quote = undefined;
      current += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      current += ch;
    } else if (ch === ';' || ((ch === '&' || ch === '|') && line[i + 1] === ch)) {
      out.push(current.trim());
      current = '';
      if (ch !== ';') i++;
    } else current += ch;
  }
  out.push(current.trim());
  return out.filter(Boolean);
}

/** Words of a command with shell quoting removed (no expansion). */
function shellWords(command: string): string[] {
  const out: string[] = [];
  let current = '';
  let quote: string | undefined;
  let inWord = false;
  for (const ch of command) {
    if (quote) {
      if (ch === quote) quote = undefined;
      else current += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) out.push(current);
      current = '';
      inWord = false;
    } else {
      current += ch;
      inWord = true;
    }
  }
  if (inWord) out.push(current);
  return out;
}

function nativeProxy(): Array<Record<string, unknown>> {
  return [
    { name: 'istio-init', image: 'docker.io/istio/proxyv2:1.30.3', args: ['istio-iptables'] },
    { name: 'istio-proxy', image: 'docker.io/istio/proxyv2:1.30.3', args: ['proxy', 'sidecar'], restartPolicy: 'Always' },
  ];
}

/** What `istioctl kube-inject` does to a Deployment: the proxy goes into the pod template. */
function injectTemplate(d: KubeObject): void {
  const template = ((d.spec as Record<string, unknown>)['template'] ?? {}) as { metadata?: { annotations?: Record<string, string> }; spec?: Record<string, unknown> };
  template.spec ??= {};
  template.spec['initContainers'] = [...((template.spec['initContainers'] as unknown[] | undefined) ?? []), ...nativeProxy()];
  template.metadata ??= {};
  template.metadata.annotations = { ...template.metadata.annotations, 'sidecar.istio.io/status': '{"initContainers":["istio-init","istio-proxy"],"containers":null}' };
}

function joinContinuations(lines: string[]): string[] {
  // Keep the line count stable (heredoc positions are by line): continued lines become empty.
  const out = [...lines];
  for (let i = 0; i < out.length - 1; i++) {
    while ((out[i] ?? '').endsWith('\\') && i + 1 < out.length) {
      const next = out.findIndex((l, j) => j > i && l !== '');
      if (next < 0) break;
      out[i] = `${(out[i] ?? '').slice(0, -1)} ${(out[next] ?? '').trim()}`;
      out[next] = '';
    }
  }
  return out;
}

function flag(command: string, name: string): string | undefined {
  const words = shellWords(command);
  for (let i = 0; i < words.length; i++) {
    const w = words[i] ?? '';
    if (w === name) return words[i + 1];
    if (w.startsWith(`${name}=`)) return w.slice(name.length + 1);
  }
  return undefined;
}

/** Words that are not flags or flag values. */
function positional(words: string[]): string[] {
  const withValue = new Set(['-n', '--namespace', '-f', '--filename', '-o', '--output', '-l', '--selector', '-c', '--container', '--timeout', '--for', '--context', '--kubeconfig', '-p', '--patch', '--type']);
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i] ?? '';
    if (w === '|' || w === '--') break;
    if (withValue.has(w)) {
      i++;
      continue;
    }
    if (w.startsWith('-')) continue;
    out.push(w);
  }
  return out;
}
