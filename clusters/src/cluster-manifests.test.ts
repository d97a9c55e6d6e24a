import { readFileSync } from 'node:fs';
import { parse, parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { versions } from '../versions';
import { clusterFiles } from './cluster-paths';
import { environmentImages, imagesInManifest, manifests, renderKindConfig, renderTemplate } from './cluster-manifests';
import { learnerKey } from './terminal-target';

describe('cluster files', () => {
  it('renders the kind config with both ingress ports on loopback and one node', () => {
    const config = parse(renderKindConfig(18100)) as { nodes: { role: string; extraPortMappings: Record<string, unknown>[] }[] };
    expect(config.nodes).toHaveLength(1);
    expect(config.nodes[0]?.extraPortMappings).toEqual([
      { containerPort: 30080, hostPort: 18100, listenAddress: '127.0.0.1', protocol: 'TCP' },
      { containerPort: 30443, hostPort: 18101, listenAddress: '127.0.0.1', protocol: 'TCP' },
    ]);
  });

  it('refuses a template placeholder without a value', () => {
    expect(() => renderTemplate('a: ${NOPE}', {})).toThrow('template placeholder ${NOPE} has no value');
  });

  it('overlay: demo profile, access log, tracing, NodePorts 30080/30443, no outbound policy, no pinned tag', () => {
    const overlay = parse(readFileSync(clusterFiles.istioOverlay, 'utf8')) as {
      spec: { profile: string; tag?: string; meshConfig: Record<string, unknown>; components: { ingressGateways: { k8s: { service: { type: string; ports: { name: string; nodePort?: number }[] } } }[] } };
    };
    expect(overlay.spec.profile).toBe('demo');
    expect(overlay.spec.tag).toBeUndefined(); // comes from versions.ts
    expect(overlay.spec.meshConfig.accessLogFile).toBe('/dev/stdout');
    expect(overlay.spec.meshConfig.outboundTrafficPolicy).toBeUndefined();
    const svc = overlay.spec.components.ingressGateways[0]!.k8s.service;
    expect(svc.type).toBe('NodePort');
    expect(svc.ports.map((p) => [p.name, p.nodePort])).toEqual([
      ['status-port', undefined],
      ['http2', 30080],
      ['https', 30443],
    ]);
  });

  it('Bookinfo: six workloads from Docker Hub at the pinned tag, never registry.istio.io', () => {
    const images = imagesInManifest(manifests.bookinfo());
    expect(images).toHaveLength(6);
    for (const image of images) expect(image).toMatch(new RegExp(`^docker\\.io/istio/examples-bookinfo-[a-z]+-v[123]:${versions.bookinfo.tag.replaceAll('.', '\\.')}$`));
    const kinds = parseAllDocuments(manifests.bookinfo()).map((d) => (d.toJS() as { kind: string }).kind);
    expect(kinds.filter((k) => k === 'Deployment')).toHaveLength(6);
    expect(kinds.filter((k) => k === 'Service')).toHaveLength(4);
  });

  it('toolbox: our image, cluster-admin for the learner SA, outside the mesh', () => {
    const docs = parseAllDocuments(manifests.toolbox()).map((d) => d.toJS() as { kind: string });
    const deploy = docs.find((d) => d.kind === 'Deployment') as unknown as {
      spec: { template: { metadata: { annotations: Record<string, string> }; spec: { serviceAccountName: string; containers: { image: string; env: { name: string; value: string }[] }[] } } };
    };
    expect(deploy.spec.template.spec.containers[0]?.image).toBe(versions.toolbox.image);
    expect(deploy.spec.template.metadata.annotations['sidecar.istio.io/inject']).toBe('false');
    expect(deploy.spec.template.spec.containers[0]?.env).toContainEqual({ name: 'GATEWAY_URL', value: 'istio-ingressgateway.istio-system' });
    const binding = docs.find((d) => d.kind === 'ClusterRoleBinding') as unknown as { roleRef: { name: string } };
    expect(binding.roleRef.name).toBe('cluster-admin');
  });

  it('lists each image once, the node image first, every Istio/Bookinfo/addon/extra image included', () => {
    const list = environmentImages('/nonexistent').map((e) => e.image);
    expect(list[0]).toBe(versions.kind.nodeImage);
    expect(new Set(list).size).toBe(list.length);
    for (const image of [...versions.addons.images, ...versions.labExtras.images, `docker.io/istio/proxyv2:${versions.istio.version}`]) {
      expect(list).toContain(image);
    }
    expect(list.some((i) => i.includes(':latest') || i.endsWith('latest_release'))).toBe(false);
  });

  it('derives a path-safe learner key', () => {
    expect(learnerKey('Ada.Lovelace@Example.com')).toMatch(/^ada-lovelace-example-com-[0-9a-f]{12}$/);
    expect(learnerKey('///')).toMatch(/^[0-9a-f]{12}$/);
    expect(learnerKey('x'.repeat(300)).length).toBeLessThanOrEqual(64);
    expect(learnerKey('a b')).not.toBe(learnerKey('a-b'));
  });
});
