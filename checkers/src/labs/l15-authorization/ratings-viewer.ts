import { defineCheck, finding, pollBudgets, type Assertion } from '../../check-api';
import { allowedFinding } from './allowed-finding';
import { identityOf, labId, ratingsError } from './authz-objects';

/** Step 4: ratings admits GETs from the reviews identity; v2/v3 answers carry ratings again. */
export const ratingsViewer = defineCheck({
  labId,
  stepId: 'ratings-viewer',
  kind: 'state',
  async run(ctx) {
    const { assertion, allowed } = await allowedFinding(ctx, { app: 'ratings', path: '/ratings/0', caller: identityOf('reviews'), callerName: 'reviews' });
    if (!allowed) return [assertion];
    const out: Assertion[] = [assertion];
    // Ten reviews answers: v1 has no ratings; any v2/v3 answer must carry them.
    const sample = await ctx.poll(
      async () => {
        let broken = 0;
        for (let i = 0; i < 10; i++) if ((await ctx.probes.ing({ path: '/api/v1/products/0/reviews' })).body.includes(ratingsError)) broken++;
        return broken;
      },
      { ...pollBudgets.propagation, until: (n) => n === 0 },
    );
    const f = finding('L15.RATINGS_SHOWN');
    out.push(sample.ok ? f.pass({ actual: '10 reviews answers, none without ratings' }) : f.fail({ expected: 'no reviews answer with "Ratings service is currently unavailable"', actual: `${sample.value} of 10`, next: 'kubectl get authorizationpolicy -n default ratings-viewer -o yaml' }));
    return out;
  },
});
