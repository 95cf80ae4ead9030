import { canonicalJson } from './canonical-json';
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
    let seed = 5;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const alphabet = ['a', 'é', '中', '😀', '\ud800', '"', '\u0000', 'z'];
    for (let round = 0; round < 300; round++) {
      const parts = Array.from({ length: random(8) }, () =>
        random(2) === 0
          ? Array.from({ length: random(40) }, () => alphabet[random(alphabet.length)]).join('')
          : new Uint8Array(Array.from({ length: random(300) }, () => random(256))),
      );
      expect(sha256OfParts(parts)).toBe(portableSha256OfParts(parts));
    }
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
