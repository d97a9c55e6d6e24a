// L15's checks against states built from the lab's own scripts, with Bookinfo's traffic from the mesh
// model (RBAC decided per sidecar by the authorization rule): solutions and other valid forms pass,
// the common mistakes fail with the hint that names their cause.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../cluster-reader';
import { authorizationPolicy, baselineCluster } from '../../testing';
import { expectFailed, expectOnlyReads, expectPassed, failure } from '../../testing/check-expectations';
import { startMeshHarness, type MeshHarness } from '../../testing/mesh-harness';
import { SolutionRunner } from '../../testing/solution-runner';

const labDir = fileURLToPath(new URL('../../../../labs/l15-authorization/', import.meta.url));
const steps = ['allow-nothing', 'productpage-viewer', 'details-reviews-viewer', 'ratings-viewer', 'deny-post'] as const;
const runner = new SolutionRunner(baselineCluster());
runner.runScript(path.join(labDir, 'setup.sh'));
const start = runner.state();
const after = {} as Record<(typeof steps)[number], KubeObject[]>;
for (const step of steps) {
  runner.runScript(path.join(labDir, 'solutions', `${step}.sh`));
  after[step] = runner.state();
}
const without = (state: KubeObject[], name: string) => state.filter((o) => !(o.kind === 'AuthorizationPolicy' && o.metadata?.name === name));
const viewer = (app: string, source: Record<string, unknown>) =>
  authorizationPolicy('default', `${app}-viewer`, { selector: { matchLabels: { app } }, action: 'ALLOW', rules: [{ from: [{ source }], to: [{ operation: { methods: ['GET'] } }] }] });

describe('l15-authorization', () => {
  let m: MeshHarness;
  beforeAll(async () => {
    m = await startMeshHarness('l15-authorization', start);
  });
  afterAll(() => m.close());

  it('allow-nothing: passes on the solution (the page gets 403) and only reads', async () => {
    expectPassed(await m.run('allow-nothing', after['allow-nothing']));
    expectOnlyReads(m.h);
  });
  it('allow-nothing: fails on the start, in the root namespace, and with rules', async () => {
    expectFailed(await m.run('allow-nothing', start));
    const root = failure(await m.run('allow-nothing', [...start, authorizationPolicy('istio-system', 'allow-nothing', {})]), 'L15.ALLOW_NOTHING');
    expect(root.hint).toMatch(/root namespace, so it applies to every workload of the mesh/);
    const allowAll = failure(await m.run('allow-nothing', [...start, authorizationPolicy('default', 'allow-nothing', { rules: [{}] })]), 'L15.ALLOW_NOTHING');
    expect(allowAll.hint).toMatch(/has rules, so it allows whatever they match/);
  });

  it('productpage-viewer: the page loads with its backends still denied', async () => {
    expectPassed(await m.run('productpage-viewer', after['productpage-viewer']));
    expectFailed(await m.run('productpage-viewer', after['allow-nothing']));
  });

  it('details-reviews-viewer: passes on principals and on the serviceAccounts form', async () => {
    expectPassed(await m.run('details-reviews-viewer', after['details-reviews-viewer']));
    const bySa = [
      ...without(without(after['details-reviews-viewer'], 'details-viewer'), 'reviews-viewer'),
      viewer('details', { serviceAccounts: ['default/bookinfo-productpage'] }),
      viewer('reviews', { serviceAccounts: ['default/bookinfo-productpage'] }),
    ];
    expectPassed(await m.run('details-reviews-viewer', bySa));
  });
  it.each([
    ['bookinfo-productpage', /principals are whole identities, cluster.local\/ns\/<namespace>\/sa\/<service account>/],
    ['cluster.local/ns/default/sa/productpage', /runs as cluster.local\/ns\/default\/sa\/bookinfo-productpage/],
  ])('details-reviews-viewer: explains the principal %s', async (principal, hint) => {
    const state = [...without(after['details-reviews-viewer'], 'details-viewer'), viewer('details', { principals: [principal] })];
    expect(failure(await m.run('details-reviews-viewer', state), 'L15.ALLOWED').hint).toMatch(hint);
  });

  it('ratings-viewer: passes on the solution, fails before it', async () => {
    expectPassed(await m.run('ratings-viewer', after['ratings-viewer']));
    expectFailed(await m.run('ratings-viewer', after['details-reviews-viewer']));
  });

  it('deny-post: passes on the solution, explains an exact path, and catches a DENY that also takes GETs', async () => {
    expectPassed(await m.run('deny-post', after['deny-post']));
    expectFailed(await m.run('deny-post', after['ratings-viewer']));
    const exact = authorizationPolicy('default', 'deny-post-products', { selector: { matchLabels: { app: 'productpage' } }, action: 'DENY', rules: [{ to: [{ operation: { methods: ['POST'], paths: ['/api/v1/products'] } }] }] });
    expect(failure(await m.run('deny-post', [...after['ratings-viewer'], exact]), 'L15.DENY_POST').hint).toMatch(/without a trailing \* a path matches only exactly/);
    const tooWide = authorizationPolicy('default', 'deny-post-products', { selector: { matchLabels: { app: 'productpage' } }, action: 'DENY', rules: [{ to: [{ operation: { paths: ['/api/v1/products*', '/productpage'] } }] }] });
    expectFailed(await m.run('deny-post', [...after['ratings-viewer'], tooWide]));
  });
});
