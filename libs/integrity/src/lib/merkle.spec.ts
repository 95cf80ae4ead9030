import { createHash } from 'node:crypto';
import { bytesToHex } from '@noble/hashes/utils';
import { checkpointSigningBytes } from './checkpoint-statement';
import {
  compareStreamNames,
  merkleLeafHash,
  merkleNodeHash,
  merkleAuditPaths,
  merkleRoot,
  rootFromInclusionProof,
  StreamHead,
  streamHeadInclusionProofs,
  streamHeadsMerkleRoot,
  verifyStreamHeadInclusion,
} from './merkle';

/** An independent implementation with node:crypto, written from RFC 6962 §2.1. */
const sha = (...parts: Buffer[]) => createHash('sha256').update(Buffer.concat(parts)).digest();
function referenceLeaf(head: StreamHead): Buffer {
  const name = Buffer.from(head.stream, 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(name.length);
  const revision = Buffer.alloc(8);
  revision.writeBigUInt64BE(BigInt(head.revision));
  return sha(Buffer.from([0]), length, name, revision, Buffer.from(head.hash, 'hex'));
}
function referenceRoot(leaves: Buffer[]): Buffer {
  if (leaves.length === 0) return sha();
  if (leaves.length === 1) return leaves[0];
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return sha(Buffer.from([1]), referenceRoot(leaves.slice(0, k)), referenceRoot(leaves.slice(k)));
}

const hashOf = (seed: string) => createHash('sha256').update(seed).digest('hex');
const heads = (count: number): StreamHead[] =>
  Array.from({ length: count }, (_, index) => ({
    stream: `stream-${String(index).padStart(3, '0')}`,
    revision: index * 7,
    hash: hashOf(`head ${index}`),
  }));

describe('Merkle tree over stream heads (RFC 6962)', () => {
  it('hashes the empty tree as sha256 of nothing', () => {
    expect(streamHeadsMerkleRoot([])).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('uses the leaf hash as the root of one leaf', () => {
    const [head] = heads(1);
    expect(streamHeadsMerkleRoot([head])).toBe(referenceLeaf(head).toString('hex'));
    expect(bytesToHex(merkleLeafHash(head))).toBe(referenceLeaf(head).toString('hex'));
  });

  it('splits at the largest power of two below n (3 leaves: (0,1),2)', () => {
    const leaves = heads(3).map(merkleLeafHash);
    const expected = merkleNodeHash(merkleNodeHash(leaves[0], leaves[1]), leaves[2]);
    expect(bytesToHex(merkleRoot(leaves))).toBe(bytesToHex(expected));
  });

  it.each([2, 3, 4, 5, 7, 8, 9, 16, 17, 100])('matches an independent implementation for %i leaves', (count) => {
    const list = heads(count);
    expect(streamHeadsMerkleRoot(list)).toBe(referenceRoot(list.map(referenceLeaf)).toString('hex'));
  });

  it('orders leaves by stream name whatever the input order', () => {
    const list = heads(9);
    const shuffled = [list[4], list[8], list[0], list[6], list[2], list[1], list[7], list[3], list[5]];
    expect(streamHeadsMerkleRoot(shuffled)).toBe(streamHeadsMerkleRoot(list));
  });

  it('orders stream names by UTF-8 bytes, not UTF-16 code units', () => {
    // U+E000 is one UTF-16 unit above the surrogates of U+1F600, but its UTF-8 bytes sort first.
    expect('\u{1F600}' < '\uE000').toBe(true);
    expect(compareStreamNames('\uE000', '\u{1F600}')).toBeLessThan(0);
    expect(compareStreamNames('proposal-1', 'proposal-1-content')).toBeLessThan(0);
    expect(compareStreamNames('a', 'a')).toBe(0);
  });

  it('changes when any stream, revision or hash changes, or a stream is added or removed', () => {
    const list = heads(6);
    const root = streamHeadsMerkleRoot(list);
    const variants: StreamHead[][] = [
      list.map((head, index) => (index === 3 ? { ...head, revision: head.revision + 1 } : head)),
      list.map((head, index) => (index === 5 ? { ...head, hash: hashOf('other') } : head)),
      list.map((head, index) => (index === 0 ? { ...head, stream: 'stream-000x' } : head)),
      list.slice(1),
      [...list, { stream: 'zzz', revision: 0, hash: hashOf('z') }],
    ];
    for (const variant of variants) expect(streamHeadsMerkleRoot(variant)).not.toBe(root);
  });

  it('keeps stream names and revisions apart (length prefix)', () => {
    const hash = hashOf('x');
    expect(bytesToHex(merkleLeafHash({ stream: 'a', revision: 1, hash }))).not.toBe(
      bytesToHex(merkleLeafHash({ stream: 'a\u0000', revision: 1, hash })),
    );
  });

  it('refuses a stream listed twice, a negative revision and a malformed hash', () => {
    const [head] = heads(1);
    expect(() => streamHeadsMerkleRoot([head, head])).toThrow(/appears twice/);
    expect(() => merkleLeafHash({ ...head, revision: -1 })).toThrow(RangeError);
    expect(() => merkleLeafHash({ ...head, hash: 'ABC' })).toThrow(TypeError);
  });
});

describe('checkpointSigningBytes', () => {
  it('is the context line and the canonical JSON of the statement', () => {
    const bytes = checkpointSigningBytes({
      streamCount: 2,
      at: '2026-01-01T00:00:00.000Z',
      merkleRoot: 'ab'.repeat(32),
      globalPosition: 42,
    });
    expect(Buffer.from(bytes).toString('utf8')).toBe(
      `concord-checkpoint-v1\n{"at":"2026-01-01T00:00:00.000Z","globalPosition":42,"merkleRoot":"${'ab'.repeat(32)}","streamCount":2}`,
    );
  });
});

/** RFC 6962 §2.1.1 PATH(m, D[n]), written from the RFC's recursion (independent of the level walk). */
function referencePath(index: number, leaves: Buffer[]): Buffer[] {
  if (leaves.length <= 1) return [];
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return index < k
    ? [...referencePath(index, leaves.slice(0, k)), referenceRoot(leaves.slice(k))]
    : [...referencePath(index - k, leaves.slice(k)), referenceRoot(leaves.slice(0, k))];
}

describe('inclusion proofs (RFC 6962 audit paths, RFC 9162 verification)', () => {
  it('gives the RFC path for every leaf of trees of 1 to 33 leaves, and each leads to the root', () => {
    for (let size = 1; size <= 33; size += 1) {
      const leaves = heads(size).map(referenceLeaf);
      const leafHashes = leaves.map((leaf) => new Uint8Array(leaf));
      const root = referenceRoot(leaves).toString('hex');
      const paths = merkleAuditPaths(leafHashes, leaves.map((_, index) => index));
      paths.forEach((path, index) => {
        expect(path.map(bytesToHex)).toEqual(referencePath(index, leaves).map((hash) => hash.toString('hex')));
        expect(bytesToHex(rootFromInclusionProof(leafHashes[index], index, size, path) as Uint8Array)).toBe(root);
      });
    }
  });

  it('proves only the wanted streams, and a proof does not survive any change', () => {
    const all = heads(11);
    const root = streamHeadsMerkleRoot(all);
    const proofs = streamHeadInclusionProofs(all, (stream) => stream === 'stream-003' || stream === 'stream-010');
    expect(proofs.map((proof) => proof.head.stream)).toEqual(['stream-003', 'stream-010']);
    expect(proofs.map((proof) => proof.treeSize)).toEqual([11, 11]);
    for (const proof of proofs) {
      expect(verifyStreamHeadInclusion(proof, root, 11)).toBe(true);
      // The siblings are hashes: no other stream's name is in the proof.
      expect(JSON.stringify(proof.auditPath)).not.toContain('stream-');
      expect(verifyStreamHeadInclusion({ ...proof, head: { ...proof.head, revision: proof.head.revision + 1 } }, root, 11)).toBe(false);
      expect(verifyStreamHeadInclusion({ ...proof, head: { ...proof.head, stream: 'stream-004' } }, root, 11)).toBe(false);
      expect(verifyStreamHeadInclusion({ ...proof, leafIndex: proof.leafIndex ^ 1 }, root, 11)).toBe(false);
      expect(verifyStreamHeadInclusion({ ...proof, treeSize: 12 }, root, 11)).toBe(false);
      expect(verifyStreamHeadInclusion({ ...proof, auditPath: proof.auditPath.slice(1) }, root, 11)).toBe(false);
      expect(verifyStreamHeadInclusion({ ...proof, auditPath: ['zz', ...proof.auditPath.slice(1)] }, root, 11)).toBe(false);
    }
  });

  it('proves the only leaf of a one-stream tree with an empty path', () => {
    const [proof] = streamHeadInclusionProofs(heads(1), () => true);
    expect(proof.auditPath).toEqual([]);
    expect(verifyStreamHeadInclusion(proof, streamHeadsMerkleRoot(heads(1)), 1)).toBe(true);
  });
});
