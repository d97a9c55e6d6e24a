import { describe, expect, it } from 'vitest';
import { describeExportTo, serviceExportTo, visibleFrom } from './export-to';

describe('visibleFrom (exportTo)', () => {
  it('omitted and * export everywhere', () => {
    expect(visibleFrom(undefined, 'default', 'intro')).toBe(true);
    expect(visibleFrom(['*'], 'default', 'intro')).toBe(true);
  });
  it('. is the object namespace only', () => {
    expect(visibleFrom(['.'], 'default', 'default')).toBe(true);
    expect(visibleFrom(['.'], 'default', 'intro')).toBe(false);
  });
  it('~ hides from everyone', () => {
    expect(visibleFrom(['~'], 'external', 'external')).toBe(false);
  });
  it('a namespace list names who sees it', () => {
    expect(visibleFrom(['.', 'intro'], 'default', 'intro')).toBe(true);
    expect(visibleFrom(['ops'], 'default', 'default')).toBe(false);
  });
  it('reads the Service annotation and says it in words', () => {
    expect(serviceExportTo({ 'networking.istio.io/exportTo': '., ops' })).toEqual(['.', 'ops']);
    expect(describeExportTo(['.', 'ops'], 'default')).toBe('namespaces default, ops');
    expect(describeExportTo(['~'], 'default')).toContain('no namespace');
  });
});
