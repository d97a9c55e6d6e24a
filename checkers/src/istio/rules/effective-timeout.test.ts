import { describe, expect, it } from 'vitest';
import { effectiveRouteTimeout } from './effective-timeout';

describe('effectiveRouteTimeout (istiod setTimeout)', () => {
  it('has no deadline by default and with 0s', () => {
    expect(effectiveRouteTimeout({})).toEqual({ ms: undefined, from: 'default', path: 'timeout' });
    expect(effectiveRouteTimeout(undefined).ms).toBeUndefined();
    expect(effectiveRouteTimeout({ timeout: '0s' })).toMatchObject({ ms: undefined, from: 'route' });
  });
  it('uses the route timeout', () => {
    expect(effectiveRouteTimeout({ timeout: '0.5s' }, 'spec.http[0].timeout')).toEqual({ ms: 500, from: 'route', path: 'spec.http[0].timeout' });
  });
  it('says when the value is not a duration', () => {
    expect(effectiveRouteTimeout({ timeout: 'soon' })).toMatchObject({ ms: undefined, invalid: 'soon' });
  });
});
