import type { CheckResult } from '../check-result';
import type { KubeObject } from '../cluster-reader';
import { startCheckHarness, type CheckHarness } from './check-harness';
import { memoryOfMesh, resetMesh, simulateMesh } from './mesh-simulator';
import { installVirtualClock } from './virtual-clock';

export interface MeshRunOptions {
  /**
   * What the proxies have (default: `state`). Differs from the API server's state while istiod has not
   * pushed a change yet, or after a push the proxies rejected: the cases where config and behaviour part.
   */
  proxiesSee?: KubeObject[];
  /** Prometheus has not scraped this run's traffic yet. */
  scrapeLag?: boolean;
  /** Pass the fake ingress URL as --ingress (probes call it directly instead of through the API server). */
  ingress?: boolean;
}

export interface MeshHarness {
  h: CheckHarness;
  /** Bookinfo page loads and API calls the ingress served, per end user ('' = anonymous). */
  ingressCalls(user: string | undefined): number;
  /**
   * Puts `state` in the API server and the mesh model and runs one step of the lab. `keepSeries`: a later
   * attempt on the same sidecars (Prometheus, logs and ejections remember earlier traffic); otherwise
   * the mesh starts fresh, like newly started sidecars.
   */
  run(stepId: string, state: KubeObject[], keepSeries?: boolean, options?: MeshRunOptions): Promise<CheckResult>;
  /** Lines an app or proxy container has logged (pods matched by name prefix). */
  logLines(ns: string, podPrefix: string, container: string): string[];
  close(): Promise<void>;
}

/**
 * A check harness whose every fake (ingress, exec'd curl and fortio, Prometheus, logs, istiod) answers
 * from the one mesh model (mesh-simulator.ts), on a virtual clock: modelled latency (L06's 6 s page)
 * advances `Date.now` instead of being slept, so probes measure it and tests stay fast.
 */
export async function startMeshHarness(labId: string, objects: KubeObject[]): Promise<MeshHarness> {
  const clock = installVirtualClock();
  const h = await startCheckHarness({ objects });
  const sleep = (ms: number) => {
    clock.advance(ms);
    return Promise.resolve();
  };
  return {
    h,
    ingressCalls: (user) => memoryOfMesh(h).ingressCalls.get(user ?? '') ?? 0,
    run(stepId, state, keepSeries = false, options = {}) {
      if (!keepSeries) resetMesh(h);
      h.api.set(state);
      simulateMesh(h, options.proxiesSee ?? state, { sleep, scrapeLag: options.scrapeLag });
      return h.run(labId, stepId, { ingress: options.ingress });
    },
    logLines(ns, podPrefix, container) {
      const memory = memoryOfMesh(h);
      return [...memory.logs.entries()]
        .filter(([key]) => key.startsWith(`${ns}/${podPrefix}`) && key.endsWith(`/${container}`))
        .flatMap(([, lines]) => lines.map((l) => l.line));
    },
    async close() {
      await h.close();
      clock.restore();
    },
  };
}
