import { finding, parseMeshConfig, type Assertion, type CheckContext, type Sidecar } from '../../check-api';

function sidecarRef(s: Sidecar): string {
  return `Sidecar ${s.metadata.namespace}/${s.metadata.name}`;
}

/**
 * Is outbound traffic of ns default REGISTRY_ONLY? Either one selector-less Sidecar in default, a
 * selector-less Sidecar in the root namespace istio-system, or meshConfig `outboundTrafficPolicy`.
 */
export async function registryOnlyAssertions(ctx: Pick<CheckContext, 'cluster'>): Promise<Assertion[]> {
  const [local, root, cm] = await Promise.all([
    ctx.cluster.sidecars('default'),
    ctx.cluster.sidecars('istio-system'),
    ctx.cluster.configMap('istio-system', 'istio'),
  ]);
  const registryOnly = finding('L11.REGISTRY_ONLY');
  const mode = (s: Sidecar) => s.spec.outboundTrafficPolicy?.mode;
  const selectorLess = local.filter((s) => !s.spec.workloadSelector?.labels || Object.keys(s.spec.workloadSelector.labels).length === 0);
  if (selectorLess.length > 1) {
    return [
      finding('IST0111', { namespace: 'default' }).fail({
        expected: 'at most one Sidecar without workloadSelector in namespace default',
        actual: selectorLess.map(sidecarRef).join(', '),
        next: 'istioctl analyze -n default',
      }),
    ];
  }
  const nsWide = selectorLess[0];
  if (nsWide && mode(nsWide) === 'REGISTRY_ONLY') {
    return [registryOnly.pass({ actual: `${sidecarRef(nsWide)} mode REGISTRY_ONLY`, path: sidecarRef(nsWide) })];
  }
  const meshMode = parseMeshConfig(cm).outboundTrafficPolicy?.mode;
  // The namespace's own selector-less Sidecar replaces the root namespace's; a Sidecar without
  // outboundTrafficPolicy inherits meshConfig's mode (pilot ConvertToSidecarScope).
  const rootWide = root.find((s) => !s.spec.workloadSelector?.labels || Object.keys(s.spec.workloadSelector.labels).length === 0);
  const effective = nsWide ?? rootWide;
  const effectiveMode = effective && mode(effective) ? mode(effective) : meshMode;
  if (effectiveMode === 'REGISTRY_ONLY') {
    return [
      registryOnly.pass({
        actual:
          effective && mode(effective)
            ? `${sidecarRef(effective)} (mesh-wide) mode REGISTRY_ONLY`
            : `${effective ? `${sidecarRef(effective)} sets no mode, so ` : ''}meshConfig outboundTrafficPolicy REGISTRY_ONLY applies`,
        note: 'meshWide',
      }),
    ];
  }
  const selected = local.find((s) => s.spec.workloadSelector?.labels && mode(s) === 'REGISTRY_ONLY');
  return [
    registryOnly.fail({
      expected: 'a Sidecar in namespace default without workloadSelector, outboundTrafficPolicy.mode REGISTRY_ONLY',
      actual: selected
        ? `${sidecarRef(selected)} has a workloadSelector`
        : nsWide
          ? `${sidecarRef(nsWide)} mode ${mode(nsWide) ?? `not set (meshConfig: ${meshMode ?? 'ALLOW_ANY'})`}`
          : rootWide
            ? `no Sidecar in namespace default; ${sidecarRef(rootWide)} (mesh-wide) mode ${mode(rootWide) ?? meshMode ?? 'ALLOW_ANY'}`
            : 'no Sidecar in namespace default',
      ...(selected ? { hint: 'hasSelector' } : {}),
      next: 'kubectl get sidecar -n default -o yaml',
      ...(selected ? { path: sidecarRef(selected) } : nsWide ? { path: sidecarRef(nsWide) } : {}),
    }),
  ];
}
