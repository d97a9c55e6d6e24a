import { defineCheck, finding } from '../../check-api';
import { labId, loadPages, reviewsSeries, sumBy, total, waitForRise } from './prom-counts';

const pages = 60;

/**
 * Step 2: how this check's reviews requests split over versions, from Prometheus. It reports the v3
 * share as its observed value, which the portal compares with the learner's prediction.
 */
export const reviewsShare = defineCheck({
  labId,
  stepId: 'reviews-share',
  kind: 'telemetry',
  async run(ctx) {
    const before = await sumBy(ctx, reviewsSeries, 'destination_version');
    await loadPages(ctx, pages);
    const after = await waitForRise(ctx, reviewsSeries, 'destination_version', before, Math.floor(pages * 0.75));
    const rise = new Map([...after.value].map(([version, n]) => [version, n - (before.get(version) ?? 0)]));
    const counted = total(rise);
    const split = ['v1', 'v2', 'v3'].map((v) => `${v} ${rise.get(v) ?? 0}`).join(', ');
    const f = finding('L16.REVIEWS_SPLIT');
    const expected = `at least ${Math.floor(pages * 0.75)} new reviews requests in ${reviewsSeries}, by destination_version`;
    if (!after.ok || counted <= 0)
      return [f.fail({ expected, actual: `${counted} new after ${Math.round(after.elapsedMs / 1000)} s (${split})`, next: 'kubectl -n default get pods -l app=reviews' })];
    const v3 = Math.round(((rise.get('v3') ?? 0) / counted) * 100);
    ctx.observe(v3, `${v3}% (v3 served ${rise.get('v3') ?? 0} of this check's ${counted} reviews requests: ${split})`, `Prometheus ${reviewsSeries} by destination_version`);
    return [f.pass({ expected, actual: `${counted} new reviews requests: ${split}` })];
  },
});
