import { loadLabs } from '@istio-workshop/labs';
import { describe, expect, it } from 'vitest';
import { defineCheck, pass } from './check-api';
import { checksByLab } from './labs';
import { buildRegistry, checkRegistry } from './registry';

/** The step ids fixed for L01–L04 (lab.yaml is written with exactly these). */
const fixedSteps: Record<string, Record<string, string>> = {
  'l01-sidecar-injection': {
    'explore-control-plane': 'none',
    'deploy-workloads': 'state',
    'label-namespace': 'state',
    'restart-workloads': 'state',
    'manual-injection': 'state',
    'opt-out': 'state',
    'verify-mesh': 'probe',
  },
  'l02-ingress-gateway': { 'create-gateway': 'state', 'bind-virtualservice': 'state', 'call-through-gateway': 'probe' },
  'l03-subsets': { 'destination-rules': 'state', 'route-to-v1': 'state', 'observe-v1': 'probe' },
  'l04-header-routing': { 'route-jason': 'state', 'verify-users': 'probe' },
};

describe('check registry', () => {
  it('registers L01–L04 under their fixed step ids and kinds', () => {
    for (const [labId, steps] of Object.entries(fixedSteps)) {
      for (const [stepId, kind] of Object.entries(steps)) {
        const check = checkRegistry.get(`${labId}/${stepId}`);
        if (kind === 'none') expect(check, `${labId}/${stepId}`).toBeUndefined();
        else expect(check?.kind, `${labId}/${stepId}`).toBe(kind);
      }
      const registered = [...checkRegistry.values()].filter((c) => c.labId === labId).map((c) => c.stepId);
      expect(
        registered.every((s) => s in steps),
        `${labId}: ${registered.join(', ')}`,
      ).toBe(true);
    }
  });

  it('agrees with every lab.yaml that exists: each checked step has a check of its kind, each check a step', () => {
    const { labs } = loadLabs();
    for (const lab of labs) {
      for (const step of lab.steps) {
        const check = checkRegistry.get(`${lab.id}/${step.id}`);
        if (step.check === 'none') expect(check, `${lab.id}/${step.id} is declared none`).toBeUndefined();
        else expect(check?.kind, `${lab.id}/${step.id} declares ${step.check}`).toBe(step.check);
      }
      for (const check of checkRegistry.values()) {
        if (check.labId === lab.id)
          expect(
            lab.steps.map((s) => s.id),
            `${check.key} has no step in lab.yaml`,
          ).toContain(check.stepId);
      }
    }
  });

  it('registers each lab once, under the id of its lab.yaml, with only its own checks', () => {
    const ids = loadLabs().labs.map((l) => l.id).sort();
    expect(Object.keys(checksByLab).sort()).toEqual(ids);
    for (const [labId, checks] of Object.entries(checksByLab)) for (const c of checks) expect(c.labId, c.key).toBe(labId);
  });

  it('refuses two checks for one step', () => {
    const a = defineCheck({
      labId: 'x',
      stepId: 'y',
      kind: 'state',
      run: () => Promise.resolve([pass('L01.NS_INTRO', 'a')]),
    });
    expect(() => buildRegistry([a, a])).toThrow('two checks are registered for x/y');
  });
});
