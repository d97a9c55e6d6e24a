// Plain HTTP GET from the platform host with a timeout, for the smoke probe and health checks.

import type { HttpAnswer } from './provisioning-pipeline';

export async function httpGet(url: string, timeoutMs: number, signal?: AbortSignal): Promise<HttpAnswer> {
  const signals = [AbortSignal.timeout(timeoutMs), ...(signal ? [signal] : [])];
  const response = await fetch(url, { signal: AbortSignal.any(signals), redirect: 'manual' });
  return { status: response.status, body: await response.text() };
}
