import { parse } from 'yaml';
import { z } from 'zod';
import { fail, pass, type Assertion, type CheckContext, type Sidecar } from '../../check-api';

const meshConfigSchema = z.looseObject({
  outboundTrafficPolicy: z.looseObject({ mode: z.string().optional() }).optional(),
});

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
  const title = 'outbound traffic from namespace default is REGISTRY_ONLY';
  const mode = (s: Sidecar) => s.spec.outboundTrafficPolicy?.mode;
  const selectorLess = local.filter((s) => !s.spec.workloadSelector?.labels || Object.keys(s.spec.workloadSelector.labels).length === 0);
  if (selectorLess.length > 1) {
    return [
      fail('IST0111', title, {
        expected: 'at most one Sidecar without workloadSelector in namespace default',
        actual: selectorLess.map(sidecarRef).join(', '),
        hint: 'Several namespace-wide Sidecars conflict (IST0111) and istiod picks one arbitrarily. Keep one.',
        next: 'istioctl analyze -n default',
      }),
    ];
  }
  const nsWide = selectorLess[0];
  if (nsWide && mode(nsWide) === 'REGISTRY_ONLY') {
    return [pass('L11.REGISTRY_ONLY', title, { actual: `${sidecarRef(nsWide)} mode REGISTRY_ONLY`, path: sidecarRef(nsWide) })];
  }
  let meshMode: string | undefined;
  const meshText = cm?.data?.['mesh'];
  if (meshText) {
    try {
      meshMode = meshConfigSchema.safeParse(parse(meshText)).data?.outboundTrafficPolicy?.mode;
    } catch {
      meshMode = undefined;
    }
  }
  // The namespace's own selector-less Sidecar replaces the root namespace's; a Sidecar without
  // outboundTrafficPolicy inherits meshConfig's mode (pilot ConvertToSidecarScope).
  const rootWide = root.find((s) => !s.spec.workloadSelector?.labels || Object.keys(s.spec.workloadSelector.labels).length === 0);
  const effective = nsWide ?? rootWide;
  const effectiveMode = effective && mode(effective) ? mode(effective) : meshMode;
  if (effectiveMode === 'REGISTRY_ONLY') {
    return [
      pass('L11.REGISTRY_ONLY', title, {
        actual:
          effective && mode(effective)
            ? `${sidecarRef(effective)} (mesh-wide) mode REGISTRY_ONLY`
            : `${effective ? `${sidecarRef(effective)} sets no mode, so ` : ''}meshConfig outboundTrafficPolicy REGISTRY_ONLY applies`,
        hint: 'Mesh-wide setting: fine for this lab, but it restricts every namespace.',
      }),
    ];
  }
  const selected = local.find((s) => s.spec.workloadSelector?.labels && mode(s) === 'REGISTRY_ONLY');
  return [
    fail('L11.REGISTRY_ONLY', title, {
      expected: 'a Sidecar in namespace default without workloadSelector, outboundTrafficPolicy.mode REGISTRY_ONLY',
      actual: selected
        ? `${sidecarRef(selected)} has a workloadSelector`
        : nsWide
          ? `${sidecarRef(nsWide)} mode ${mode(nsWide) ?? `not set (meshConfig: ${meshMode ?? 'ALLOW_ANY'})`}`
          : rootWide
            ? `no Sidecar in namespace default; ${sidecarRef(rootWide)} (mesh-wide) mode ${mode(rootWide) ?? meshMode ?? 'ALLOW_ANY'}`
            : 'no Sidecar in namespace default',
      hint: selected
        ? 'A Sidecar with workloadSelector only restricts the pods it selects; drop the selector so the whole namespace is restricted.'
        : 'Create `Sidecar default/default` with `outboundTrafficPolicy: {mode: REGISTRY_ONLY}` and no workloadSelector.',
      next: 'kubectl get sidecar -n default -o yaml',
      ...(selected ? { path: sidecarRef(selected) } : nsWide ? { path: sidecarRef(nsWide) } : {}),
    }),
  ];
}
