// Real-cluster suite: one kind cluster through the whole pipeline, then every lab in catalog order
// (modules.yaml order, then each lab's `order`) on that same cluster: setup.sh, each step's solution
// followed by `npm run check` for the step, then cleanup.sh. Each setup therefore starts right after
// the previous lab's cleanup (namespaces still Terminating included), as a learner's cluster would.
// Then the cluster is deleted. Needs Docker, kind, kubectl, istioctl and jq at the pins
// (`npm run clusters -- doctor`).

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadLabs } from '@istio-workshop/labs';
import { loadClustersConfig } from '../src/clusters-config';
import { ProcessCommandRunner } from '../src/command-runner';
import { formatDoctor, runDoctor } from '../src/doctor';
import { KindEnvironmentProvider, kubeconfigPathFor } from '../src/kind-environment-provider';
import { httpGet } from '../src/http-get';
import { diskFiles, runPipeline, type PipelineTarget, type StepTiming } from '../src/provisioning-pipeline';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const dockerInfo = spawnSync('docker', ['info', '--format', '{{.ServerVersion}}'], { encoding: 'utf8' });
const dockerOk = dockerInfo.status === 0 && dockerInfo.stdout.trim().length > 0;
if (!dockerOk) {
  const why = (dockerInfo.stderr || dockerInfo.error?.message || 'no server version').trim().split('\n')[0];
  console.warn(
    `\n[clusters:real] SKIPPED: \`docker info\` failed (${why}).\n` +
      '[clusters:real] This suite creates a real kind cluster and needs a Docker engine, kind, kubectl and istioctl at the pins.\n' +
      '[clusters:real] Run it on a Docker host (`npm run clusters -- doctor` first) or via .github/workflows/real-clusters.yml.\n',
  );
}

describe.skipIf(!dockerOk)('a real kind environment runs every lab', () => {
  const config = loadClustersConfig({ ...process.env, CLUSTERS_PROVIDER: 'kind' }, repoRoot);
  const logger = pino({ level: process.env.CLUSTERS_LOG_LEVEL ?? 'info' });
  const runner = new ProcessCommandRunner({ logger });
  const name = `real-${Date.now().toString(36)}`;
  let target: PipelineTarget;
  let timings: StepTiming[] = [];

  beforeAll(async () => {
    const checks = await runDoctor({ runner, scope: 'kind', memoryPerClusterMiB: config.memoryPerClusterMiB, reservedMemoryMiB: 0 });
    if (!checks.every((c) => c.ok)) throw new Error(`host not ready:\n${formatDoctor(checks)}`);
    const provider = new KindEnvironmentProvider({ config, logger, runner });
    const now = new Date().toISOString();
    const allocation = await provider.allocate(
      { id: name, provider: 'kind', status: 'requested', failureReason: null, learnerId: null, labId: null, contentVersion: null, clusterName: null, kubeconfigPath: null, httpPort: null, step: null, stepStartedAt: null, attempts: 0, createdAt: now, updatedAt: now, statusChangedAt: now, assignedAt: null, expiresAt: null },
      [],
    );
    target = { provider: 'kind', clusterName: name, kubeconfigPath: kubeconfigPathFor(config.dataDir, name), httpPort: allocation.httpPort };
    timings = await runPipeline(
      target,
      { runner, logger, dataDir: config.dataDir, timeoutScale: config.timeoutScale, pollIntervalMs: 2000, memoryPerClusterMiB: config.memoryPerClusterMiB, reservedMemoryMiB: 0, files: diskFiles, httpGet },
      { signal: new AbortController().signal, onStep: async (step) => logger.info({ step }, 'real suite: step') },
    );
  });

  afterAll(async () => {
    const stats = spawnSync('docker', ['stats', '--no-stream', '--format', '{{.MemUsage}}', `${name}-control-plane`], { encoding: 'utf8' });
    const out = path.join(config.dataDir, 'clusters', name, 'step-timings.json');
    await mkdir(path.dirname(out), { recursive: true });
    await writeFile(out, JSON.stringify(timings, null, 2));
    await writeFile(path.join(path.dirname(out), 'memory.txt'), `${stats.stdout.trim()}\n`);
    console.log(`[clusters:real] ${name} memory after the labs: ${stats.stdout.trim()}; step timings in ${out}`);
    spawnSync('kind', ['delete', 'cluster', '--name', name], { stdio: 'inherit' });
  });

  it('provisioned every step', () => {
    expect(timings.map((t) => t.step)).toEqual(['doctor', 'create-cluster', 'preload-images', 'core-dns', 'install-istio', 'injector-ready', 'label-ns', 'bookinfo', 'addons', 'toolbox', 'smoke']);
  });

  // loadLabs() returns the catalog order; vitest runs these tests one after another in that order.
  const catalog = loadLabs();
  for (const lab of catalog.labs.filter((l) => l.environment === 'cluster')) {
    it(`lab ${lab.id}: every solution makes its check pass`, () => {
      const env = {
        ...process.env,
        KUBECONFIG: target.kubeconfigPath,
        GATEWAY_URL: `127.0.0.1:${target.httpPort}`, // host:port, as the toolbox sets it (no scheme)
        INGRESS_URL: `http://127.0.0.1:${target.httpPort}`,
      };
      const sh = (script: string) => {
        const r = spawnSync('bash', [script], { cwd: lab.dir, env, encoding: 'utf8', timeout: 10 * 60_000 });
        expect(r.status, `${lab.id}: ${script} failed:\n${r.stdout}\n${r.stderr}`).toBe(0);
      };
      if (lab.setup) sh(lab.setup);
      for (const step of lab.steps) {
        if (step.solution && existsSync(path.join(lab.dir, step.solution))) sh(step.solution);
        if (step.check === 'none') continue;
        const check = spawnSync(
          'npm',
          ['run', '--silent', 'check', '--', lab.id, step.id, '--kubeconfig', target.kubeconfigPath, '--ingress', `http://127.0.0.1:${target.httpPort}`, '--json'],
          { cwd: repoRoot, env, encoding: 'utf8', timeout: 5 * 60_000 },
        );
        expect(check.status, `${lab.id}/${step.id} check did not pass:\n${check.stdout}\n${check.stderr}`).toBe(0);
      }
      if (lab.cleanup) sh(lab.cleanup);
    });
  }
});
