import { defineCheck, finding, type Assertion } from '../../check-api';
import { labId, loadPages, pathTracing, productpageTraces, telRef } from './trace-objects';

const tag = 'lab';
const value = 'istio-workshop';

/** Step 3: productpage's proxy tags its spans lab=istio-workshop (by the tracing rule), and new spans carry it. */
export const spanTag = defineCheck({
  labId,
  stepId: 'span-tag',
  kind: 'state',
  async run(ctx) {
    const { productpage, all } = await pathTracing(ctx);
    const set = productpage.customTags[tag];
    const applied = new Set(productpage.from.map((x) => x.telemetry));
    const elsewhere = all.find((t) => !applied.has(t) && (t.spec.tracing ?? []).some((e) => Object.keys(e.customTags ?? {}).includes(tag)));
    const f = finding('L18.CUSTOM_TAG', { tag, value, actual: set ?? '', telemetry: elsewhere ? telRef(elsewhere) : '' });
    if (set !== value) {
      const ref = productpage.from.at(-1) ? telRef(productpage.from.at(-1)!.telemetry) : '';
      return [
        f.fail({
          expected: `customTags.${tag}: {literal: {value: ${value}}} in the tracing of productpage's proxy`,
          actual: set === undefined ? `no tag ${tag}${ref ? ` in ${ref}` : ''}` : `${tag} = ${set}`,
          next: 'kubectl get telemetry -A -o yaml',
          ...(set !== undefined ? { hint: 'otherValue' } : elsewhere ? { hint: 'hidden', path: telRef(elsewhere) } : {}),
        }),
      ];
    }
    const out: Assertion[] = [f.pass({ actual: `${tag} = ${value}` })];
    const started = Date.now();
    await loadPages(ctx, 10);
    const res = await ctx.poll(() => productpageTraces(ctx), { until: (ts) => ts.some((t) => t.tags.some((s) => s[tag] === value)), timeoutMs: 30_000, intervalMs: 3_000, passesInARow: 1 });
    const tagged = finding('L18.TAGGED_SPANS', { tag, value });
    out.push(
      res.ok
        ? tagged.pass({ actual: `spans with ${tag}=${value} in a trace since ${new Date(started).toISOString().slice(11, 19)}` })
        : tagged.fail({ expected: `spans tagged ${tag}=${value}`, actual: `none in ${res.value.length} recent trace(s)`, next: 'istioctl proxy-status' }),
    );
    return out;
  },
});
