import { defineCheck, finding } from '../../check-api';
import { labId, loadPages, productpageCount, sumBy, total, waitForRise } from './prom-counts';

/**
 * Step 1: requests to productpage show up in istio_requests_total. The check sends its own page loads
 * and waits for Prometheus to count them, so series from an earlier attempt cannot pass it.
 */
export const generateTraffic = defineCheck({
  labId,
  stepId: 'generate-traffic',
  kind: 'telemetry',
  async run(ctx) {
    const before = await sumBy(ctx, productpageCount, '');
    const sent = await loadPages(ctx, 10);
    const after = await waitForRise(ctx, productpageCount, '', before, Math.max(1, sent));
    const f = finding('L16.PROM_TRAFFIC');
    const expected = `${productpageCount} up by the ${sent} page loads this check sent`;
    return [
      after.ok
        ? f.pass({ expected, actual: `${total(before)} before, ${total(after.value)} after` })
        : f.fail({
            expected,
            actual: `${total(before)} before, ${total(after.value)} after ${Math.round(after.elapsedMs / 1000)} s (${sent} of 10 page loads answered 200)`,
            next: 'kubectl -n default get pods -l app=productpage',
          }),
    ];
  },
});
