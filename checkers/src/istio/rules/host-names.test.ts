import { describe, expect, it } from 'vitest';
import { hostMatches, isPartialServiceName, likelyMeantService, resolveHost } from './host-names';

describe('resolveHost (ResolveShortnameToFQDN)', () => {
  it('expands only a name without a dot, relative to the object namespace', () => {
    expect(resolveHost('reviews', 'default')).toBe('reviews.default.svc.cluster.local');
    expect(resolveHost('reviews', 'intro')).toBe('reviews.intro.svc.cluster.local');
    expect(resolveHost('reviews.default', 'intro')).toBe('reviews.default');
    expect(resolveHost('Reviews.Default.svc.cluster.local.', 'x')).toBe('reviews.default.svc.cluster.local');
  });
  it('keeps * and IP addresses', () => {
    expect(resolveHost('*', 'default')).toBe('*');
    expect(resolveHost('10.0.0.1', 'default')).toBe('10.0.0.1');
    expect(resolveHost('::1', 'default')).toBe('::1');
  });
  it('recognises partial service names and what they meant', () => {
    expect(isPartialServiceName('reviews.default')).toBe(true);
    expect(isPartialServiceName('reviews.default.svc')).toBe(true);
    expect(isPartialServiceName('api.example.com')).toBe(false);
    expect(likelyMeantService('reviews.default.svc')).toBe('reviews.default.svc.cluster.local');
  });
  it('matches wildcards like host.Name.Matches', () => {
    expect(hostMatches('*.example.com', 'api.example.com')).toBe(true);
    expect(hostMatches('*.example.com', 'example.com')).toBe(false);
    expect(hostMatches('*', 'anything')).toBe(true);
  });
});
