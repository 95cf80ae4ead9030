import { utf8ToBytes } from '@noble/hashes/utils';
import { canonicalJson } from './canonical-json';

/**
 * What a signed checkpoint asserts: at global position `globalPosition` the log held `streamCount`
 * streams (the checkpoint stream itself excluded) whose heads hash to `merkleRoot`
 * (see streamHeadsMerkleRoot); `at` is when it was signed.
 */
export interface CheckpointStatement {
  globalPosition: number;
  merkleRoot: string;
  streamCount: number;
  at: string;
}

/** Domain separation: a signature over these bytes cannot be mistaken for one over anything else. */
export const CHECKPOINT_SIGNATURE_CONTEXT = 'concord-checkpoint-v1';

/**
 * The exact bytes an Ed25519 checkpoint signature covers:
 * utf8("concord-checkpoint-v1\n" + canonicalJson({at, globalPosition, merkleRoot, streamCount})).
 */
export function checkpointSigningBytes(statement: CheckpointStatement): Uint8Array {
  const { globalPosition, merkleRoot, streamCount, at } = statement;
  return utf8ToBytes(`${CHECKPOINT_SIGNATURE_CONTEXT}\n${canonicalJson({ at, globalPosition, merkleRoot, streamCount })}`);
}
