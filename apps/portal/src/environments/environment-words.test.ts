import { environmentStatuses, kindSteps } from '@istio-workshop/clusters';
import { describe, expect, it } from 'vitest';
import { environmentWords, provisioningStepWords } from './environment-words';

describe('environmentWords', () => {
  it('never shows a state-machine word to the learner', () => {
    for (const status of environmentStatuses) {
      for (const hasCluster of [true, false]) {
        const words = environmentWords({ status, hasCluster });
        expect(`${words.chip} ${words.detail}`.toLowerCase(), status).not.toMatch(/assigned|requested|provisioning|expiring/);
      }
    }
  });

  it('tells a cluster from a shell-only environment', () => {
    expect(environmentWords({ status: 'assigned', hasCluster: true })).toMatchObject({ chip: 'Cluster ready', tone: 'ok' });
    expect(environmentWords({ status: 'assigned', hasCluster: false })).toMatchObject({ chip: 'No cluster (shell only)', tone: 'off' });
  });

  it('says every provisioning step in words, not by its pipeline name', () => {
    for (const step of kindSteps) expect(provisioningStepWords(step)).not.toBe(step);
    expect(provisioningStepWords('install-istio')).toBe('installing Istio');
    expect(provisioningStepWords('new-step')).toBe('new-step');
  });

  it('names an unknown status instead of hiding it', () => {
    expect(environmentWords({ status: 'odd', hasCluster: false }).detail).toContain('"odd"');
  });
});
