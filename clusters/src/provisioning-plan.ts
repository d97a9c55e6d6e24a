// `clusters plan <name>`: every command, file and manifest the pipeline would run for a fresh
// environment, produced by running the real pipeline code against a recorder that executes nothing
// and answers like a fresh host on which every action succeeds. One code path, so the plan cannot drift.

import { existsSync, readFileSync } from 'node:fs';
import type { Logger } from 'pino';
import { versions } from '../versions';
import { preloadImages } from './cluster-manifests';
import type { CommandResult, CommandRunner, RunOptions } from './command-runner';
import {
  type PipelineFiles,
  type PipelineTarget,
  productpageMarkers,
  runPipeline,
  type StepName,
} from './provisioning-pipeline';

export type PlanEntry =
  | { kind: 'step'; step: StepName }
  | { kind: 'exec'; argv: string[]; stdin?: string }
  | { kind: 'write'; file: string; text: string }
  | { kind: 'http'; url: string };

const productpageHtml = `<h3>${productpageMarkers[0]}</h3><dt>${productpageMarkers[1]}</dt>`;

/** Answers like a fresh Docker host at our pins where each action works the first time. */
class PlanningRunner implements CommandRunner {
  private loaded = false;
  constructor(
    private readonly entries: PlanEntry[],
    private readonly dataDir: string,
  ) {}

  async run(argv: string[], options: RunOptions): Promise<CommandResult> {
    this.entries.push({ kind: 'exec', argv, ...(options.stdin ? { stdin: options.stdin } : {}) });
    const line = argv.join(' ');
    const ok = (stdout = ''): CommandResult => ({ argv, code: 0, stdout, stderr: '', durationMs: 0 });
    if (line.startsWith('docker info')) return ok(`${versions.host.minDockerMajor}.0.0|${64 * 1024 ** 3}|2|x86_64`);
    if (line === 'kind version') return ok(`kind ${versions.kind.version}`);
    if (line.startsWith('kubectl version --client')) return ok(JSON.stringify({ clientVersion: { gitVersion: versions.kubectl.version } }));
    if (line.startsWith('istioctl version') || line.endsWith('istioctl version --remote=false')) return ok(versions.istio.version);
    if (line === 'kind get clusters') return ok('');
    if (line.startsWith('kind load')) this.loaded = true;
    if (line.includes('crictl images')) {
      const images = this.loaded ? preloadImages(this.dataDir) : [];
      return ok(JSON.stringify({ images: [{ repoTags: images.map((i) => normalise(i)) }] }));
    }
    if (line.startsWith('docker image inspect')) {
      const refs = argv.slice(4);
      return { argv, code: 1, stdout: '', stderr: refs.map((r) => `Error: No such image: ${r}`).join('\n'), durationMs: 0 };
    }
    if (line.endsWith('-n istio-system get deploy -o json')) return ok(JSON.stringify({ items: [] }));
    if (line.includes('get mutatingwebhookconfiguration')) return ok(JSON.stringify({ webhooks: [{ name: 'x', clientConfig: { caBundle: 'x' } }] }));
    if (line.includes('get namespace default toolbox')) {
      const items = [
        { metadata: { name: 'default', labels: { 'istio-injection': 'enabled' } } },
        { metadata: { name: 'toolbox', labels: { 'istio-injection': 'disabled' } } },
      ];
      return ok(JSON.stringify({ items }));
    }
    if (line.includes('get pods -o json')) return ok(JSON.stringify({ items: [{ metadata: { name: 'p', annotations: { 'sidecar.istio.io/status': '{}' } } }] }));
    if (line.includes('get deploy prometheus -o json')) {
      return ok(JSON.stringify({ spec: { template: { spec: { containers: [{ name: 'prometheus-server-configmap-reload' }, { name: 'prometheus-server', args: [] }] } } } }));
    }
    if (line.includes('/proxy/api/v1/query')) return ok(JSON.stringify({ data: { result: [{}] } }));
    if (line.includes('/proxy/jaeger/api/traces')) return ok(JSON.stringify({ data: [{}] }));
    if (line.includes('istio-ingressgateway:80/proxy/productpage')) return ok(productpageHtml);
    return ok('');
  }
}

function normalise(ref: string): string {
  const parts = (ref.split('@')[0] ?? ref).split('/');
  const first = parts[0] ?? '';
  if (parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost')) return parts.join('/');
  return parts.length === 1 ? `docker.io/library/${parts[0]}` : `docker.io/${parts.join('/')}`;
}

export interface PlanOptions {
  target: PipelineTarget;
  dataDir: string;
  logger: Logger;
  skipSteps?: readonly StepName[];
}

export async function planProvisioning(options: PlanOptions): Promise<PlanEntry[]> {
  const entries: PlanEntry[] = [];
  const files: PipelineFiles = {
    mkdir: async () => undefined,
    write: async (file, text) => void entries.push({ kind: 'write', file, text }),
    exists: () => false,
  };
  await runPipeline(
    options.target,
    {
      runner: new PlanningRunner(entries, options.dataDir),
      logger: options.logger,
      dataDir: options.dataDir,
      timeoutScale: 1,
      pollIntervalMs: 0,
      memoryPerClusterMiB: 1,
      reservedMemoryMiB: 0,
      files,
      skipSteps: options.skipSteps ?? [],
      procRoot: '/nonexistent-plan-proc',
      httpGet: async (url) => {
        entries.push({ kind: 'http', url });
        return { status: 200, body: productpageHtml };
      },
    },
    { signal: new AbortController().signal, onStep: async (step) => void entries.push({ kind: 'step', step }) },
  );
  return entries;
}

function shellQuote(arg: string): string {
  return /^[\w@%+=:,./{}|-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`;
}

function indent(text: string): string {
  return text
    .trimEnd()
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');
}

export function formatPlan(entries: readonly PlanEntry[], target: PipelineTarget): string {
  const out: string[] = [
    `# Plan for environment ${target.clusterName} (provider ${target.provider}). Nothing below was executed.`,
    `# Readiness checks are shown once, as they run when each check passes the first time.`,
  ];
  let n = 0;
  for (const e of entries) {
    if (e.kind === 'step') out.push('', `## ${(n += 1)}. ${e.step}`);
    else if (e.kind === 'write') out.push(`write ${e.file}:`, indent(e.text));
    else if (e.kind === 'http') out.push(`GET ${e.url}`);
    else {
      out.push(`$ ${e.argv.map(shellQuote).join(' ')}${e.stdin ? ' <<EOF' : ''}`);
      if (e.stdin) out.push(indent(e.stdin), '    EOF');
      const fileArg = e.argv[e.argv.indexOf('-f') + 1];
      if (e.argv.includes('-f') && fileArg && fileArg !== '-') {
        if (/^https?:/.test(fileArg)) out.push(`    (manifest fetched by kubectl from ${fileArg}; run \`fetch-addons\` to apply a local copy)`);
        else if (existsSync(fileArg)) out.push(`    contents of ${fileArg}:`, indent(readFileSync(fileArg, 'utf8')));
      }
    }
  }
  return out.join('\n');
}
