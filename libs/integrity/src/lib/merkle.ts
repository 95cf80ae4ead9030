import { sha256 } from '@noble/hashes/sha256';
import { bytesToHex, hexToBytes, utf8ToBytes } from '@noble/hashes/utils';

/**
 * A Merkle tree over the head of every stream, RFC 6962 style (Certificate Transparency §2.1):
 *
 * - leaf hash  = sha256(0x00 ‖ u32be(len(stream)) ‖ utf8(stream) ‖ u64be(headRevision) ‖ headHash)
 *   where `headHash` is the 32 bytes of the head event's hex hash; the stream name is length-prefixed
 *   so that no two (stream, revision) pairs share an encoding;
 * - node hash  = sha256(0x01 ‖ left ‖ right);
 * - the root of n > 1 leaves splits them at k, the largest power of two smaller than n:
 *   MTH(D[0:n]) = node(MTH(D[0:k]), MTH(D[k:n])); the root of one leaf is its leaf hash; the root of
 *   no leaves is sha256 of the empty string.
 *
 * Leaves are ordered by stream name in UTF-8 byte order (what PostgreSQL's COLLATE "C" and SQLite's
 * BINARY collation give), whatever order the caller passes them in.
 */
export interface StreamHead {
  stream: string;
  /** Revision of the stream's last event (0-based). */
  revision: number;
  /** That event's hash: 64 lower-case hex digits. */
  hash: string;
}

const LEAF_PREFIX = 0x00;
const NODE_PREFIX = 0x01;
const HASH_HEX = /^[0-9a-f]{64}$/;

/** Compares stream names by their UTF-8 bytes (not by UTF-16 code units as `<` does). */
export function compareStreamNames(a: string, b: string): number {
  if (a === b) return 0;
  const left = utf8ToBytes(a);
  const right = utf8ToBytes(b);
  const length = Math.min(left.length, right.length);
  for (let index = 0; index < length; index += 1) {
    if (left[index] !== right[index]) return left[index] - right[index];
  }
  return left.length - right.length;
}

export function merkleLeafHash(head: StreamHead): Uint8Array {
  if (!Number.isSafeInteger(head.revision) || head.revision < 0) {
    throw new RangeError(`stream ${head.stream}: head revision ${head.revision} is not a non-negative integer`);
  }
  if (!HASH_HEX.test(head.hash)) throw new TypeError(`stream ${head.stream}: head hash is not 64 hex digits`);
  const name = utf8ToBytes(head.stream);
  const buffer = new Uint8Array(1 + 4 + name.length + 8 + 32);
  const view = new DataView(buffer.buffer);
  buffer[0] = LEAF_PREFIX;
  view.setUint32(1, name.length);
  buffer.set(name, 5);
  view.setBigUint64(5 + name.length, BigInt(head.revision));
  buffer.set(hexToBytes(head.hash), 13 + name.length);
  return sha256(buffer);
}

export function merkleNodeHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  const buffer = new Uint8Array(1 + left.length + right.length);
  buffer[0] = NODE_PREFIX;
  buffer.set(left, 1);
  buffer.set(right, 1 + left.length);
  return sha256(buffer);
}

/** The RFC 6962 Merkle tree hash of leaf hashes given in tree order. */
export function merkleRoot(leafHashes: readonly Uint8Array[]): Uint8Array {
  if (leafHashes.length === 0) return sha256(new Uint8Array(0));
  const subtree = (from: number, to: number): Uint8Array => {
    const count = to - from;
    if (count === 1) return leafHashes[from];
    let split = 1;
    while (split * 2 < count) split *= 2;
    return merkleNodeHash(subtree(from, from + split), subtree(from + split, to));
  };
  return subtree(0, leafHashes.length);
}

/** Sorts heads by stream name (UTF-8 byte order); throws when a stream appears twice. */
export function sortStreamHeads(heads: readonly StreamHead[]): StreamHead[] {
  const sorted = [...heads].sort((a, b) => compareStreamNames(a.stream, b.stream));
  for (let index = 1; index < sorted.length; index += 1) {
    if (sorted[index].stream === sorted[index - 1].stream) {
      throw new Error(`stream ${sorted[index].stream} appears twice among the stream heads`);
    }
  }
  return sorted;
}

/** Hex Merkle root over every stream's head, in stream-name order. */
export function streamHeadsMerkleRoot(heads: readonly StreamHead[]): string {
  return bytesToHex(merkleRoot(sortStreamHeads(heads).map(merkleLeafHash)));
}

/**
 * The RFC 6962 audit path (§2.1.1, PATH(m, D[n])) of leaf `index`: the sibling hashes from the leaf
 * up to the root. Built level by level: at each level nodes pair up left to right and a last odd
 * node rises unchanged, which is the same tree as the largest-power-of-two split of `merkleRoot`.
 */
export function merkleAuditPaths(leafHashes: readonly Uint8Array[], indices: readonly number[]): Uint8Array[][] {
  for (const index of indices) {
    if (!Number.isSafeInteger(index) || index < 0 || index >= leafHashes.length) {
      throw new RangeError(`leaf ${index} is not in a tree of ${leafHashes.length} leaves`);
    }
  }
  const paths = indices.map(() => [] as Uint8Array[]);
  const positions = [...indices];
  let level: readonly Uint8Array[] = leafHashes;
  while (level.length > 1) {
    positions.forEach((position, which) => {
      const sibling = position ^ 1;
      if (sibling < level.length) paths[which].push(level[sibling]);
      positions[which] = position >> 1;
    });
    const next: Uint8Array[] = [];
    for (let index = 0; index < level.length; index += 2) {
      next.push(index + 1 < level.length ? merkleNodeHash(level[index], level[index + 1]) : level[index]);
    }
    level = next;
  }
  return paths;
}

/**
 * The root an inclusion proof leads to (RFC 9162 §2.1.3.2), or null when the proof cannot be one
 * for a tree of `treeSize` leaves (wrong length, index out of range).
 */
export function rootFromInclusionProof(
  leafHash: Uint8Array,
  leafIndex: number,
  treeSize: number,
  auditPath: readonly Uint8Array[],
): Uint8Array | null {
  if (!Number.isSafeInteger(leafIndex) || !Number.isSafeInteger(treeSize) || leafIndex < 0 || leafIndex >= treeSize) return null;
  let fn = leafIndex;
  let sn = treeSize - 1;
  let root = leafHash;
  for (const sibling of auditPath) {
    if (sn === 0) return null;
    if (fn % 2 === 1 || fn === sn) {
      root = merkleNodeHash(sibling, root);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      root = merkleNodeHash(root, sibling);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 ? root : null;
}

/**
 * Proof that one stream's head is a leaf of a checkpoint's tree, without the other leaves: given to
 * an auditor who may see only some streams. The sibling hashes reveal no stream name.
 */
export interface StreamHeadInclusionProof {
  head: StreamHead;
  /** The leaf's index in stream-name order. */
  leafIndex: number;
  /** Leaves in the tree (the checkpoint's streamCount). */
  treeSize: number;
  /** RFC 6962 audit path, leaf to root, hex. */
  auditPath: string[];
}

/** Inclusion proofs for the heads of the streams `wanted` accepts, in stream-name order. */
export function streamHeadInclusionProofs(
  heads: readonly StreamHead[],
  wanted: (stream: string) => boolean,
): StreamHeadInclusionProof[] {
  const sorted = sortStreamHeads(heads);
  const indices = sorted.flatMap((head, index) => (wanted(head.stream) ? [index] : []));
  const paths = merkleAuditPaths(sorted.map(merkleLeafHash), indices);
  return indices.map((leafIndex, which) => ({
    head: { ...sorted[leafIndex] },
    leafIndex,
    treeSize: sorted.length,
    auditPath: paths[which].map(bytesToHex),
  }));
}

/**
 * True when the proof leads from its head to `merkleRoot` (hex) in a tree of `streamCount` leaves —
 * both from the signed checkpoint: a path alone may fit trees of several sizes.
 */
export function verifyStreamHeadInclusion(proof: StreamHeadInclusionProof, merkleRoot: string, streamCount: number): boolean {
  try {
    if (proof.treeSize !== streamCount) return false;
    if (!proof.auditPath.every((hash) => HASH_HEX.test(hash))) return false;
    const root = rootFromInclusionProof(merkleLeafHash(proof.head), proof.leafIndex, proof.treeSize, proof.auditPath.map(hexToBytes));
    return root !== null && bytesToHex(root) === merkleRoot;
  } catch {
    return false;
  }
}
