import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCliArgs } from './cli-args';
import { listChecks } from './list-checks';
import { checkResultSchema } from './check-result';
import { startFakeKubeApi, type FakeKubeApi } from './testing';
import { l03Solution, l03Start } from './testing/testdata/l03-fixtures';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const tsx = path.join(root, 'node_modules/.bin/tsx');

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(tsx, [path.join(here, 'cli.ts'), ...args], { cwd: root, env: { ...process.env, CHECKERS_LOG_LEVEL: 'silent' } }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

let solved: FakeKubeApi;
let start: FakeKubeApi;
beforeAll(async () => {
  [solved, start] = await Promise.all([startFakeKubeApi({ objects: l03Solution() }), startFakeKubeApi({ objects: l03Start() })]);
});
afterAll(async () => {
  await Promise.all([solved.close(), start.close()]);
});

describe('npm run check CLI', () => {
  it('exits 0/1/2 for passed / not yet / could not run, and --json prints the result object', async () => {
    const gone = await startFakeKubeApi();
    const goneConfig = gone.kubeconfigYaml;
    await gone.close();
    const { writeFileSync, mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const goneFile = path.join(mkdtempSync(path.join(tmpdir(), 'cli-')), 'kubeconfig');
    writeFileSync(goneFile, goneConfig);
    // Three processes only: each cold tsx start costs about a second of CPU.
    const [pass, unreachable, human] = await Promise.all([
      cli(['l03-subsets', 'destination-rules', '--kubeconfig', solved.kubeconfigPath, '--json']),
      cli(['l03-subsets', 'destination-rules', '--kubeconfig', goneFile, '--json']),
      cli(['l03-subsets', 'route-to-v1', '--kubeconfig', start.kubeconfigPath]),
    ]);
    expect(pass.code).toBe(0);
    expect(checkResultSchema.parse(JSON.parse(pass.stdout)).outcome).toBe('passed');
    expect(unreachable.code).toBe(2);
    expect(JSON.parse(unreachable.stdout)).toMatchObject({ outcome: 'error', error: { code: 'unreachable' } });
    expect(human.code).toBe(1);
    expect(human.stdout).toContain('✘ a VirtualService sends all reviews traffic to subset v1');
    expect(human.stdout).toContain('next:     kubectl get virtualservice -A');
  }, 120_000); // three cold tsx starts; a loaded CI machine needs room

  it('lists every registered step with its kind (what --list --json prints)', () => {
    expect(listChecks().steps).toContainEqual(expect.objectContaining({ labId: 'l04-header-routing', stepId: 'verify-users', kind: 'probe', registered: true }));
  });

  it('says what every registered check looks for, and nothing for a step without a check', () => {
    const steps = listChecks().steps;
    const missing = steps.filter((s) => s.registered && s.looksFor.length === 0).map((s) => `${s.labId}/${s.stepId}`);
    expect(missing).toEqual([]);
    expect(steps.find((s) => s.stepId === 'label-namespace')?.looksFor).toContain('namespace intro is labelled for sidecar injection');
    expect(steps.filter((s) => s.kind === 'none').every((s) => s.looksFor.length === 0)).toBe(true);
  });
});

describe('argument parsing', () => {
  it.each([
    [['l01', 's', '--kubeconfig'], '--kubeconfig needs a value'],
    [['l01'], 'give a lab id and a step id'],
    [['l01', 's', 'x'], 'unexpected argument "x"'],
    [['l01', 's', '--ingress', 'not a url'], '--ingress must be a URL'],
    [['l01', 's', '--timeout', '5'], '--timeout must be milliseconds'],
    [['l01', 's', '--frobnicate'], 'unknown option --frobnicate'],
    [['--list', 'l01'], '--list takes no lab or step'],
  ])('%j → %s', (argv, message) => {
    expect(() => parseCliArgs(argv)).toThrow(message);
  });
  it('accepts --flag=value and --ingress without trailing slash', () => {
    expect(parseCliArgs(['l', 's', '--kubeconfig=/k', '--ingress', 'http://127.0.0.1:30080/', '--json'])).toEqual({ kind: 'check', labId: 'l', stepId: 's', kubeconfig: '/k', json: true, ingressUrl: 'http://127.0.0.1:30080', timeoutMs: undefined });
  });
});
