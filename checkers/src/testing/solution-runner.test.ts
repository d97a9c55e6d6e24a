import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { baselineCluster } from './testdata/baseline-cluster';
import { SolutionRunner } from './solution-runner';

function script(lines: string[]): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'lab-'));
  const file = path.join(dir, 'solution.sh');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

const pods = (r: SolutionRunner, ns: string) => r.state().filter((o) => o.kind === 'Pod' && o.metadata?.namespace === ns);
const end = 'E' + 'OF';

describe('solution emulator', () => {
  it('applies heredocs, injects in labelled namespaces, restarts, patches and deletes', () => {
    const r = new SolutionRunner(baselineCluster());
    r.runScript(
      script([
        '#!/bin/sh',
        'set -eu',
        'kubectl create namespace demo --dry-run=client -o yaml | kubectl apply -f -',
        `kubectl apply -n demo -f - <<'${end}'`,
        'apiVersion: apps/v1',
        'kind: Deployment',
        'metadata: {name: web}',
        'spec:',
        '  replicas: 2',
        '  selector: {matchLabels: {app: web}}',
        '  template:',
        '    metadata: {labels: {app: web}}',
        '    spec: {containers: [{name: web, image: nginx}]}',
        end,
        'for i in $(seq 1 3); do curl -s http://web.demo/; done',
        'kubectl label namespace demo istio-injection=enabled --overwrite && kubectl -n demo rollout restart deploy/web',
      ]),
    );
    expect(pods(r, 'demo')).toHaveLength(2);
    expect(pods(r, 'demo').every((p) => JSON.stringify(p.spec).includes('"restartPolicy":"Always"'))).toBe(true);
    r.runScript(script([`kubectl -n demo patch deployment web -p '{"spec":{"template":{"metadata":{"labels":{"app":"web","sidecar.istio.io/inject":"false"}}}}}'`]));
    expect(pods(r, 'demo').every((p) => !JSON.stringify(p.spec).includes('istio-proxy'))).toBe(true);
    const copy = new SolutionRunner(r.state());
    copy.runScript(script(['kubectl -n demo delete deployment web --ignore-not-found']));
    expect(pods(copy, 'demo')).toEqual([]); // the garbage collector takes the pods with it
    r.runScript(script([`kubectl delete -f - <<${end}`, 'apiVersion: apps/v1', 'kind: Deployment', 'metadata: {name: web, namespace: demo}', end]));
    expect(r.state().some((o) => o.kind === 'Deployment' && o.metadata?.name === 'web')).toBe(false);
  });
  it('replays a script beside it (bash "$(dirname "$0")/…") with its arguments', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lab-'));
    writeFileSync(path.join(dir, 'make-ns.sh'), 'set -eu\nkubectl create namespace "$1" --dry-run=client -o yaml | kubectl apply -f -\nkubectl label namespace $1 team=${2} --overwrite\n');
    const main = path.join(dir, 'setup.sh');
    writeFileSync(main, 'bash "$(dirname "$0")/make-ns.sh" shop blue\n');
    const r = new SolutionRunner(baselineCluster());
    r.runScript(main);
    expect(r.state().find((o) => o.kind === 'Namespace' && o.metadata?.name === 'shop')?.metadata?.labels).toMatchObject({ team: 'blue' });
    writeFileSync(main, 'bash ./make-ns.sh shop\n');
    expect(() => r.runScript(main)).toThrow('solution emulator cannot run');
  });
  it('refuses commands it cannot follow instead of skipping them', () => {
    const r = new SolutionRunner(baselineCluster());
    expect(() => r.runScript(script(['helm install x ./chart']))).toThrow('solution emulator cannot run');
    expect(() => r.runScript(script(['kubectl scale deploy/reviews-v1 --replicas=0']))).toThrow('solution emulator cannot run');
  });
});

describe('solution emulator pipelines', () => {
  it('edits a stored object through `kubectl get -o json | jq | kubectl replace -f -`', () => {
    const r = new SolutionRunner(baselineCluster()); // the baseline carries kind's CoreDNS ConfigMap
    const edit = `kubectl -n kube-system get configmap coredns -o json | jq '.data.Corefile |= sub("ready\\n"; "ready\\n    hosts {\\n       10.96.200.200 api.example.com\\n    }\\n")' | kubectl replace -f -`;
    r.runScript(script([edit]));
    const cm = r.state().find((o) => o.kind === 'ConfigMap' && o.metadata?.name === 'coredns') as { data?: Record<string, string> } | undefined;
    expect(cm?.data?.['Corefile']).toContain('10.96.200.200 api.example.com');
  });
  it('fails like set -o pipefail when the object is missing, and refuses pipelines it cannot follow', () => {
    const r = new SolutionRunner(baselineCluster());
    expect(() => r.runScript(script([`kubectl -n kube-system get configmap no-such-map -o json | jq '.' | kubectl replace -f -`]))).toThrow('not found');
    expect(() => r.runScript(script([`kubectl get deploy reviews-v1 -o yaml | sed s/v1/v2/ | kubectl apply -f -`]))).toThrow('solution emulator cannot run');
  });
});
