import { containsUnstorableText, hasUnstorableText, nestingExceeds } from './json-depth';

const nested = (levels: number): unknown => JSON.parse('['.repeat(levels) + ']'.repeat(levels));

describe('nestingExceeds', () => {
  it('counts each object or array as one level; scalars add none', () => {
    expect(nestingExceeds(JSON.parse('{"a":[{"b":1}]}'), 3)).toBe(false);
    expect(nestingExceeds(JSON.parse('{"a":[{"b":[]}]}'), 3)).toBe(true);
    expect(nestingExceeds('[[[[', 0)).toBe(false);
    expect(nestingExceeds(null, 0)).toBe(false);
    expect(nestingExceeds({}, 0)).toBe(true);
  });

  it('accepts exactly the limit and refuses one more', () => {
    expect(nestingExceeds(nested(32), 32)).toBe(false);
    expect(nestingExceeds(nested(33), 32)).toBe(true);
  });

  it('copes with 100,000 levels without overflowing the stack', () => {
    expect(nestingExceeds(nested(100_000), 32)).toBe(true);
  });

  it('does not add up siblings: a wide, shallow body passes', () => {
    const wide = Array.from({ length: 10_000 }, () => ({ a: [1, { b: 2 }] }));
    expect(nestingExceeds(wide, 4)).toBe(false);
    expect(nestingExceeds(wide, 3)).toBe(true);
  });
});

describe('containsUnstorableText', () => {
  it('finds NUL and unpaired surrogates in strings and keys, at any depth', () => {
    expect(containsUnstorableText({ a: ['fine', { b: 'x\u0000y' }] })).toBe(true);
    expect(containsUnstorableText({ ['k\u0000']: 1 })).toBe(true);
    expect(containsUnstorableText(['\ud800'])).toBe(true);
    expect(containsUnstorableText('\udc00x')).toBe(true);
  });

  it('accepts any other text, including paired surrogates (emoji) and controls other than NUL', () => {
    expect(containsUnstorableText({ a: '😀 مرحبا \t\n\u0001', b: [1, null, true] })).toBe(false);
    expect(hasUnstorableText('😀')).toBe(false);
  });
});
