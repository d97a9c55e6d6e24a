import type { CheckContext } from '../../check-api';
import { curlBatch, type CurlTally } from '../../probes/curl-batch';

export { describeTally } from '../../probes/curl-batch';

/** go-httpbin's `/unstable` answers 500 about half the time (failure_rate 0.5 by default). */
export const unstableUrl = 'http://httpbin.intro:8000/unstable';
export const unstableRequests = 100;

/** 100 calls to /unstable from the curl pod (with sidecar) in ns intro. */
export function runUnstableLoop(ctx: Pick<CheckContext, 'probes'>): Promise<CurlTally> {
  return curlBatch(ctx, { ns: 'intro', selector: 'app=curl', url: unstableUrl, count: unstableRequests });
}
