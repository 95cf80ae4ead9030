import canonicalize from 'canonicalize';
import { canonicalJson, canonicalJsonWithout } from './canonical-json';
import { computeEventHash, GENESIS_HASH, HashableEvent } from './event-hash';
import { nativeSha256, portableSha256OfParts, sha256Hex, sha256OfParts } from './sha256';

const base: HashableEvent = {
  prevHash: GENESIS_HASH,
  stream: 'proposal-1',
  revision: 0,
  type: 'ProposalCreated',
  data: { title: 'Skills passport', kind: 'policy' },
  metadata: { eventId: 'e1', userId: 'u1', at: '2026-01-01T00:00:00.000Z', prevHash: GENESIS_HASH },
};

describe('canonicalJson', () => {
  it('orders keys so that equal values serialise equally', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, 2], c: 'x' } })).toBe('{"a":{"c":"x","d":[1,2]},"b":1}');
  });
  it('refuses values JSON cannot hold', () => {
    expect(() => canonicalJson(undefined)).toThrow(TypeError);
    expect(() => canonicalJson({ a: Number.NaN })).toThrow();
    expect(() => canonicalJson({ a: Number.POSITIVE_INFINITY })).toThrow();
  });

  it('writes flat objects exactly as the canonicalize library does, for random keys and values (seeded)', () => {
    const random = seededRandom(11);
    const alphabet = ['a', 'B', 'é', '中', '😀', '\ud800', '\udc00', '"', '\\', '\u0000', '\n', '\u2028', 'z', '_', '1'];
    const text = (max: number) => Array.from({ length: random(max) }, () => alphabet[random(alphabet.length)]).join('');
    const numbers = [0, -0, 1, -1, 0.1, 1e21, 1e-7, 123456789012345680000, 5e-324, Number.MAX_SAFE_INTEGER, -2.5];
    const member = (): unknown => {
      switch (random(9)) {
        case 0: return numbers[random(numbers.length)];
        case 1: return random(1_000_000) / (1 + random(1000));
        case 2: return random(2) === 0;
        case 3: return null;
        case 4: return undefined;
        case 5: return { nested: text(4), n: random(10) };
        case 6: return [text(3), random(5)];
        default: return text(12);
      }
    };
    const shapes = new Set<string>();
    for (let round = 0; round < 2_000; round++) {
      const value: Record<string, unknown> = {};
      for (let count = random(9); count > 0; count--) value[text(6)] = member();
      shapes.add(Object.values(value).map((entry) => (Array.isArray(entry) ? 'array' : entry === null ? 'null' : typeof entry)).sort().join());
      expect(canonicalJson(value)).toBe(canonicalize(value));
      const omitted = Object.keys(value)[0] ?? 'absent';
      const rest = Object.fromEntries(Object.entries(value).filter(([key]) => key !== omitted));
      expect(canonicalJsonWithout(value, omitted)).toBe(canonicalize(rest));
    }
    // the generator reaches flat objects, nested ones and every kind of member
    expect(shapes.size).toBeGreaterThan(100);
  });
});

describe('sha256', () => {
  it('matches the known digest of "abc"', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
  it('keeps part boundaries apart', () => {
    expect(sha256OfParts(['ab', 'c'])).not.toBe(sha256OfParts(['a', 'bc']));
  });
  it('gives the same digests with Node’s native sha256 as with the portable one, for random parts', () => {
    expect(nativeSha256).toBe(true); // Jest runs in Node
    const random = seededRandom(5);
    const alphabet = ['a', 'é', '中', '😀', '\ud800', '"', '\u0000', 'z'];
    let stringParts = 0;
    let byteParts = 0;
    for (let round = 0; round < 300; round++) {
      const parts = Array.from({ length: random(8) }, () =>
        random(2) === 0
          ? Array.from({ length: random(40) }, () => alphabet[random(alphabet.length)]).join('')
          : new Uint8Array(Array.from({ length: random(300) }, () => random(256))),
      );
      for (const part of parts) if (typeof part === 'string') stringParts += 1; else byteParts += 1;
      expect(sha256OfParts(parts)).toBe(portableSha256OfParts(parts));
    }
    expect(Math.min(stringParts, byteParts)).toBeGreaterThan(300);
    expect(sha256Hex(new TextEncoder().encode('abc'))).toBe(sha256Hex('abc'));
  });
});

describe('computeEventHash', () => {
  const hash = computeEventHash(base);

  it('is stable under key order and ignores an existing hash field', () => {
    const reordered: HashableEvent = {
      ...base,
      data: { kind: 'policy', title: 'Skills passport' },
      metadata: { hash: 'whatever', prevHash: GENESIS_HASH, at: base.metadata['at'], userId: 'u1', eventId: 'e1' },
    };
    expect(computeEventHash(reordered)).toBe(hash);
  });

  it.each([
    ['data', { data: { title: 'Skills passport!', kind: 'policy' } }],
    ['metadata user', { metadata: { ...base.metadata, userId: 'u2' } }],
    ['metadata time', { metadata: { ...base.metadata, at: '2026-01-01T00:00:00.001Z' } }],
    ['revision', { revision: 1 }],
    ['stream', { stream: 'proposal-2' }],
    ['type', { type: 'ProposalWithdrawn' }],
    ['prevHash', { prevHash: 'f'.repeat(64) }],
  ])('changes when the %s changes', (_what, change) => {
    expect(computeEventHash({ ...base, ...change } as HashableEvent)).not.toBe(hash);
  });

  it('hashes binary payloads by their bytes', () => {
    const a = computeEventHash({ ...base, data: new Uint8Array([1, 2, 3]) });
    const b = computeEventHash({ ...base, data: new Uint8Array([1, 2, 4]) });
    expect(a).not.toBe(b);
    expect(computeEventHash({ ...base, data: new Uint8Array([1, 2, 3]) })).toBe(a);
  });
});

/** A seeded 32-bit LCG (Numerical Recipes constants) kept exact with Math.imul, read from its high bits. */
function seededRandom(seed: number): (n: number) => number {
  let state = seed >>> 0;
  return (n) => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return Math.floor((state / 2 ** 32) * n);
  };
}
