// `npm run clusters -- <command>`: the operator's tool for learner clusters.
//   doctor            check this host against the pins (exit 1 when something is missing)
//   plan <name>       print every command, file and manifest `create <name>` would run; runs nothing
//   create <name>     make and provision one kind cluster outside the pool (step progress on stdout)
//   delete <name>     delete one kind cluster and its kubeconfig
//   list              kind clusters on this host, and the pool's environments if its database exists
//   images [--pull]   every image an environment runs; --pull pulls them (and builds the toolbox) once
//   fetch-addons      download the pinned addon manifests for offline use

import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { destination, pino } from 'pino';
import { addonManifestUrls, versions } from '../versions';
import { addonCacheDir, clusterFiles } from './cluster-paths';
import { environmentImages } from './cluster-manifests';
import { describeHostLimitEnforcement } from '@istio-workshop/terminal-gateway/sandbox-host';
import { ClustersConfigError, loadClustersConfig } from './clusters-config';
import { CommandError, ProcessCommandRunner } from './command-runner';
import { formatDoctor, runDoctor } from './doctor';
import { EnvironmentStore } from './environment-store';
import { httpGet } from './http-get';
import { KindEnvironmentProvider, kubeconfigPathFor } from './kind-environment-provider';
import { dockerPlatform, diskFiles, type PipelineTarget, runPipeline, stepsFor } from './provisioning-pipeline';
import { formatPlan, planProvisioning } from './provisioning-plan';
import { openSqliteDatabase } from './sqlite-database';

const usage = `usage: npm run clusters -- <command>
  doctor              check Docker, kind, kubectl, istioctl, memory, inotify, cgroup v2 against the pins
  plan <name>         print every command and manifest \`create <name>\` would run (executes nothing)
  create <name>       create and provision one kind cluster (outside the warm pool)
  delete <name>       delete one kind cluster
  list                kind clusters and pool environments
  images [--pull]     list every image an environment runs; --pull pulls/builds them once (offline prep)
  fetch-addons        download the pinned Istio addon manifests into the data dir (offline prep)
  pins                print the pinned tool versions as shell variables (CI installs from these)`;

const clusterNamePattern = /^[a-z0-9][a-z0-9-]{0,48}$/;

function requireName(name: string | undefined, command: string): string {
  if (!name) throw new UsageError(`${command}: missing <name>`);
  if (!clusterNamePattern.test(name)) throw new UsageError(`${command}: cluster name "${name}" must match ${clusterNamePattern}`);
  return name;
}

class UsageError extends Error {}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const config = loadClustersConfig();
  // Logs (JSON) go to stderr; stdout carries what the command is for.
  const logger = pino({ level: process.env.CLUSTERS_LOG_LEVEL ?? 'warn' }, destination(2));
  const runner = new ProcessCommandRunner({ logger });

  switch (command) {
    case 'doctor': {
      const scope = config.provider === 'existing' ? 'existing' : 'kind';
      // CLUSTERS_PROC_ROOT: where the host's /proc is visible (e.g. the platform itself runs in a container).
      const procRoot = process.env.CLUSTERS_PROC_ROOT;
      const checks = await runDoctor({
        runner,
        scope,
        memoryPerClusterMiB: config.memoryPerClusterMiB,
        reservedMemoryMiB: config.reservedMemoryMiB,
        ...(procRoot ? { procRoot } : {}),
      });
      process.stdout.write(`${formatDoctor(checks)}\n`);
      // Informational: how the terminal gateway bounds each local shell on this host.
      process.stdout.write(`\nlocal terminal limits (GATEWAY_SANDBOX_*):\n${describeHostLimitEnforcement().map((l) => `  ${l}`).join('\n')}\n`);
      return checks.every((c) => c.ok) ? 0 : 1;
    }
    case 'plan': {
      const name = requireName(rest[0], 'plan');
      const target: PipelineTarget = {
        provider: 'kind',
        clusterName: name,
        kubeconfigPath: kubeconfigPathFor(config.dataDir, name),
        httpPort: config.httpPortRange.first,
      };
      const entries = await planProvisioning({ target, dataDir: config.dataDir, logger, skipSteps: config.skipSteps });
      process.stdout.write(`${formatPlan(entries, target)}\n\n# The host port ${target.httpPort} is an example: create picks the first free pair in CLUSTERS_HTTP_PORT_RANGE.\n`);
      return 0;
    }
    case 'create': {
      const name = requireName(rest[0], 'create');
      if (name.startsWith(config.namePrefix)) {
        process.stderr.write(`warning: names starting with "${config.namePrefix}" belong to the warm pool; its reconciler may adopt or delete this cluster\n`);
      }
      const provider = new KindEnvironmentProvider({ config, logger, runner });
      const now = new Date().toISOString();
      const allocation = await provider.allocate(
        { id: name, provider: 'kind', status: 'requested', failureReason: null, learnerId: null, labId: null, contentVersion: null, clusterName: null, kubeconfigPath: null, httpPort: null, step: null, stepStartedAt: null, attempts: 0, createdAt: now, updatedAt: now, statusChangedAt: now, assignedAt: null, expiresAt: null },
        [],
      );
      const target: PipelineTarget = { provider: 'kind', clusterName: name, kubeconfigPath: kubeconfigPathFor(config.dataDir, name), httpPort: allocation.httpPort };
      const steps = stepsFor('kind').filter((s) => !config.skipSteps.includes(s));
      const started = Date.now();
      let stepStarted = started;
      const timings = await runPipeline(
        target,
        { runner, logger, dataDir: config.dataDir, timeoutScale: config.timeoutScale, pollIntervalMs: 2000, memoryPerClusterMiB: config.memoryPerClusterMiB, reservedMemoryMiB: config.reservedMemoryMiB, files: diskFiles, httpGet, skipSteps: config.skipSteps },
        {
          signal: new AbortController().signal,
          onStep: async (step) => {
            if (stepStarted !== started) process.stdout.write(` done in ${((Date.now() - stepStarted) / 1000).toFixed(1)} s\n`);
            stepStarted = Date.now();
            process.stdout.write(`[${steps.indexOf(step) + 1}/${steps.length}] ${step} (elapsed ${((Date.now() - started) / 1000).toFixed(0)} s)…`);
          },
        },
      );
      process.stdout.write(` done in ${((Date.now() - stepStarted) / 1000).toFixed(1)} s\n`);
      process.stdout.write(
        `\ncluster ${name} is ready in ${((Date.now() - started) / 1000).toFixed(0)} s\n` +
          `  kubeconfig: ${target.kubeconfigPath}\n  Bookinfo:   http://127.0.0.1:${target.httpPort}/productpage\n` +
          `  terminal:   kubectl --kubeconfig ${target.kubeconfigPath} -n toolbox exec -it deploy/toolbox -c toolbox -- tmux new-session -A -s learner\n`,
      );
      const timingsFile = path.join(config.dataDir, 'clusters', name, 'step-timings.json');
      await mkdir(path.dirname(timingsFile), { recursive: true });
      await writeFile(timingsFile, JSON.stringify(timings, null, 2));
      return 0;
    }
    case 'delete': {
      const name = requireName(rest[0], 'delete');
      await runner.run(['kind', 'delete', 'cluster', '--name', name], { timeoutMs: 180_000 });
      await rm(kubeconfigPathFor(config.dataDir, name), { force: true });
      process.stdout.write(`deleted ${name}\n`);
      return 0;
    }
    case 'list': {
      const kind = await runner.run(['kind', 'get', 'clusters'], { timeoutMs: 30_000, allowFailure: true }).catch((e: unknown) => e as Error);
      if (kind instanceof Error) process.stdout.write(`kind clusters: unavailable (${kind.message})\n`);
      else {
        const names = kind.stdout.trim() ? kind.stdout.trim().split('\n') : [];
        // Measured memory per node container: the figure CLUSTERS_MEMORY_PER_CLUSTER_MIB should follow.
        const stats = names.length
          ? await runner.run(['docker', 'stats', '--no-stream', '--format', '{{.Name}} {{.MemUsage}}', ...names.map((n) => `${n}-control-plane`)], { timeoutMs: 60_000, allowFailure: true })
          : null;
        const usage = new Map((stats?.stdout ?? '').split('\n').map((l) => [l.split(' ')[0] ?? '', l.split(' ').slice(1).join(' ')] as const));
        process.stdout.write(`kind clusters:\n${names.length ? names.map((n) => `  ${n}  ${usage.get(`${n}-control-plane`) ?? ''}`).join('\n') : '  (none)'}\n`);
      }
      if (existsSync(config.dbPath)) {
        const db = openSqliteDatabase(config.dbPath);
        try {
          const rows = await new EnvironmentStore(db).list();
          process.stdout.write(`environments in ${config.dbPath}:\n`);
          for (const e of rows.filter((r) => r.status !== 'deleted')) {
            process.stdout.write(
              `  ${e.id}  ${e.provider.padEnd(8)} ${e.status.padEnd(12)} ${(e.step ?? '').padEnd(14)} ${e.clusterName ?? '-'}  port ${e.httpPort ?? '-'}  learner ${e.learnerId ?? '-'}${e.failureReason ? `  (${e.failureReason})` : ''}\n`,
            );
          }
        } finally {
          await db.destroy();
        }
      }
      return 0;
    }
    case 'images': {
      const images = environmentImages(config.dataDir);
      const width = Math.max(...images.map((i) => i.image.length));
      for (const i of images) process.stdout.write(`${i.image.padEnd(width)}  # ${i.from}\n`);
      if (rest.includes('--pull')) {
        for (const { image } of images.slice(1)) {
          const argv =
            image === versions.toolbox.image
              ? ['docker', 'build', '--platform', dockerPlatform(), '-t', image, '--build-arg', `KUBECTL_VERSION=${versions.kubectl.version}`, '--build-arg', `ISTIO_VERSION=${versions.istio.version}`, '--build-arg', `DEBIAN_BASE=${versions.toolbox.debianBase}`, clusterFiles.toolboxBuildContext]
              : ['docker', 'pull', '--platform', dockerPlatform(), image];
          process.stdout.write(`$ ${argv.join(' ')}\n`);
          await runner.run(argv, { timeoutMs: 900_000 });
        }
        // The node image is pulled by kind itself; pulling it now makes the first create offline too.
        await runner.run(['docker', 'pull', versions.kind.nodeImage], { timeoutMs: 900_000 });
        process.stdout.write('all images are on this host; clusters now preload them without network\n');
      }
      return 0;
    }
    case 'fetch-addons': {
      const dir = addonCacheDir(config.dataDir, versions.istio.version);
      await mkdir(dir, { recursive: true });
      for (const url of addonManifestUrls()) {
        const answer = await httpGet(url, 60_000);
        if (answer.status !== 200) throw new Error(`GET ${url}: HTTP ${answer.status}`);
        const file = path.join(dir, path.basename(url));
        await writeFile(file, answer.body);
        process.stdout.write(`saved ${file}\n`);
      }
      return 0;
    }
    case 'pins': {
      // Shell-sourceable pins for CI and install scripts: eval "$(npm run -s clusters -- pins)".
      process.stdout.write(
        [
          `KIND_VERSION=${versions.kind.version}`,
          `KIND_NODE_IMAGE=${versions.kind.nodeImage}`,
          `KUBECTL_VERSION=${versions.kubectl.version}`,
          `ISTIO_VERSION=${versions.istio.version}`,
        ].join('\n') + '\n',
      );
      return 0;
    }
    case undefined:
    case 'help':
    case '--help':
      process.stdout.write(`${usage}\n`);
      return command === undefined ? 2 : 0;
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError) process.stderr.write(`${error.message}\n${usage}\n`);
    else if (error instanceof ClustersConfigError || error instanceof CommandError) process.stderr.write(`${error.message}\n`);
    else process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(error instanceof UsageError ? 2 : 1);
  },
);
