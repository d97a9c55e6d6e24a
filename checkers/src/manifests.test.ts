import { readFileSync } from 'node:fs';
import { defaultLabsDir } from '@istio-workshop/labs';
import { describe, expect, it } from 'vitest';
import { extractManifests } from './manifests/extract-manifests';
import { labManifestFiles } from './manifests/lab-files';
import { validateManifest } from './manifests/validate-manifest';

/** `file#doc (line n): error` for every problem in the given files. */
function problemsIn(files: Array<{ file: string; text: string }>): string[] {
  return files.flatMap(({ file, text }) =>
    extractManifests(file, text).flatMap((d) => {
      const where = `${file}#${d.index} (line ${d.line})`;
      if (d.parseError) return [`${where}: ${d.parseError}`];
      const isObject = typeof d.doc === 'object' && d.doc !== null && 'apiVersion' in d.doc && 'kind' in d.doc;
      if (!d.applied && !isObject) return []; // a lesson snippet, not a whole object
      return validateManifest(d.doc).map((e) => `${where}: ${e}`);
    }),
  );
}

describe('manifests in labs/**', () => {
  it('every applied or shown Kubernetes/Istio object is valid', () => {
    const files = labManifestFiles(defaultLabsDir).map((file) => ({ file, text: readFileSync(file, 'utf8') }));
    expect(problemsIn(files)).toEqual([]);
  });
});

describe('manifest extraction', () => {
  it('finds heredocs fed to kubectl in scripts, with every delimiter style', () => {
    const script = [
      '#!/bin/sh',
      'kubectl apply -n intro -f - <<EOF',
      'apiVersion: v1',
      'kind: Namespace',
      'metadata: {name: a}',
      'EOF',
      "cat <<'EOF' > /tmp/not-applied.yaml",
      'kind: Ignored',
      'EOF',
      "kubectl apply -f - <<'YAML'",
      'apiVersion: v1',
      'kind: Namespace',
      'metadata: {name: b}',
      '---',
      'apiVersion: v1',
      'kind: Namespace',
      'metadata: {name: c}',
      'YAML',
    ].join('\n');
    const docs = extractManifests('solutions/x.sh', script);
    expect(docs.map((d) => [d.index, d.line, (d.doc as { metadata: { name: string } }).metadata.name])).toEqual([
      [0, 3, 'a'],
      [1, 11, 'b'],
      [2, 11, 'c'],
    ]);
  });
  it('takes ```yaml fences and heredocs inside shell fences of a lesson', () => {
    const mdx = ['# Lesson', '```yaml', 'spec: {hosts: [reviews]}', '```', '', '```bash', 'kubectl apply -f - <<EOF', 'apiVersion: v1', 'kind: Namespace', 'metadata: {name: x}', 'EOF', '```'].join('\n');
    const docs = extractManifests('index.mdx', mdx);
    expect(docs.map((d) => [d.source, d.applied])).toEqual([
      ['fence', false],
      ['heredoc', true],
    ]);
  });
  it('reports file, document index and error', () => {
    const bad = [
      'apiVersion: networking.istio.io/v1',
      'kind: VirtualService',
      'metadata: {name: ratings}',
      'spec:',
      '  hosts: [ratings]',
      '  http:',
      '  - fault: {delay: {fixedDelay: 7s, percentage: 100}}',
      '    route: [{destination: {host: ratings, subset: v1}}]',
      '---',
      'apiVersion: v1',
      'kind: Namespace',
      '---',
      'key: [unclosed',
    ].join('\n');
    expect(problemsIn([{ file: 'labs/x/bad.yaml', text: bad }])).toEqual([
      'labs/x/bad.yaml#0 (line 1): spec.http.0.fault.delay.percentage must be object',
      'labs/x/bad.yaml#1 (line 1): metadata.name: required',
      expect.stringMatching(/^labs\/x\/bad.yaml#2 \(line 1\): /),
    ]);
  });
});

describe('manifest validation', () => {
  const meta = { metadata: { name: 'x', namespace: 'default' } };
  it('accepts Istio objects at v1 (validated with the same-schema v1beta1 class)', () => {
    expect(validateManifest({ apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', ...meta, spec: { host: 'reviews', subsets: [{ name: 'v1', labels: { version: 'v1' } }] } })).toEqual([]);
    expect(validateManifest({ apiVersion: 'telemetry.istio.io/v1', kind: 'Telemetry', ...meta, spec: { tracing: [{ providers: [{ name: 'jaeger' }], randomSamplingPercentage: 100 }] } })).toEqual([]);
  });
  it('rejects versions Istio does not serve and unknown Istio kinds', () => {
    expect(validateManifest({ apiVersion: 'security.istio.io/v1alpha3', kind: 'PeerAuthentication', ...meta })[0]).toContain('not served at v1alpha3');
    expect(validateManifest({ apiVersion: 'networking.istio.io/v1', kind: 'VirtualServce', ...meta })[0]).toContain('not an Istio kind');
  });
  it('checks core workloads and services', () => {
    const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', ...meta, spec: { selector: { matchLabels: { app: 'a' } }, template: { metadata: { labels: { app: 'b' } }, spec: { containers: [{ name: 'a', image: 'i' }] } } } };
    expect(validateManifest(deployment)).toEqual(['spec.selector.matchLabels.app: "a" does not match spec.template.metadata.labels']);
    expect(validateManifest({ ...deployment, apiVersion: 'extensions/v1beta1' })[0]).toContain('served at apps/v1');
    expect(validateManifest({ apiVersion: 'v1', kind: 'Service', ...meta, spec: { ports: [{ port: 80 }, { port: 81 }] } })).toHaveLength(2);
  });
});
