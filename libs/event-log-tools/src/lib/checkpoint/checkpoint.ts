import { createPrivateKey, createPublicKey, KeyObject, sign, verify } from 'node:crypto';
import {
  CheckpointStatement,
  checkpointSigningBytes,
  compareStreamNames,
  sha256Hex,
  StreamHead,
  StreamHeadInclusionProof,
  streamHeadsMerkleRoot,
  verifyStreamHeadInclusion,
} from '@concord/integrity';
import type { EventStore, JsonValue } from '@concord/event-store';
import { scanStreamHeadsAt } from './stream-heads';

/** The stream the API's checkpoint signer appends to; left out of every checkpoint's tree. */
export const CHECKPOINT_STREAM = 'audit-checkpoints';
export const CHECKPOINT_EVENT_TYPE = 'CheckpointSigned';
export const CHECKPOINT_ALGORITHM = 'Ed25519';

/**
 * A checkpoint as the CheckpointSigned event's data holds it, as GET /api/audit/checkpoints lists
 * it, and as an auditor saves it to a file for `npm run verify -- --checkpoint <file>`.
 */
export interface SignedCheckpoint extends CheckpointStatement {
  algorithm: typeof CHECKPOINT_ALGORITHM;
  /** Base64 Ed25519 signature over checkpointSigningBytes(statement). */
  signature: string;
  /** sha256 (hex) of the public key's DER SubjectPublicKeyInfo. */
  publicKeyFingerprint: string;
  /** The signing key's public half, SPKI PEM. */
  publicKey: string;
  /**
   * Optional: the stream heads the Merkle root was computed from (GET
   * /api/audit/checkpoints/<globalPosition> includes them). Authenticated by the root; they let the
   * verifier name the stream whose head differs.
   */
  heads?: StreamHead[];
  /**
   * Optional, instead of `heads` for an auditor of some workspaces: the heads of their streams only,
   * each with its RFC 6962 audit path to the signed root (the other leaves stay hidden).
   */
  proofs?: StreamHeadInclusionProof[];
}

/** The data of a CheckpointSigned event: the signed checkpoint without heads. */
export function checkpointEventData(signed: SignedCheckpoint): { [key: string]: JsonValue } {
  const { globalPosition, merkleRoot, streamCount, at, algorithm, signature, publicKeyFingerprint, publicKey } = signed;
  return { globalPosition, merkleRoot, streamCount, at, algorithm, signature, publicKeyFingerprint, publicKey };
}

export function publicKeyPem(key: KeyObject): string {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  return publicKey.export({ type: 'spki', format: 'pem' }).toString();
}

/** sha256 hex of the DER SubjectPublicKeyInfo of a public (or private) key, or of a PEM text. */
export function publicKeyFingerprint(key: KeyObject | string): string {
  const object = typeof key === 'string' ? createPublicKey(key) : key.type === 'private' ? createPublicKey(key) : key;
  return sha256Hex(new Uint8Array(object.export({ type: 'spki', format: 'der' })));
}

export function signCheckpoint(statement: CheckpointStatement, privateKey: KeyObject | string): SignedCheckpoint {
  const key = typeof privateKey === 'string' ? createPrivateKey(privateKey) : privateKey;
  if (key.asymmetricKeyType !== 'ed25519') throw new Error('checkpoints are signed with an Ed25519 key');
  const { globalPosition, merkleRoot, streamCount, at } = statement;
  return {
    globalPosition,
    merkleRoot,
    streamCount,
    at,
    algorithm: CHECKPOINT_ALGORITHM,
    signature: sign(null, checkpointSigningBytes(statement), key).toString('base64'),
    publicKeyFingerprint: publicKeyFingerprint(key),
    publicKey: publicKeyPem(key),
  };
}

export interface SignatureCheck {
  ok: boolean;
  /** Fingerprint of the key the signature was checked with. */
  fingerprint: string | null;
  problems: string[];
}

/**
 * Checks the signature with the public key in the checkpoint and, when `trustedPublicKey` (PEM) is
 * given, that the checkpoint's key is that one. The key inside a file proves nothing by itself:
 * anyone can sign with their own key, so auditors pin the API's public key obtained out of band.
 */
export function verifyCheckpointSignature(checkpoint: SignedCheckpoint, trustedPublicKey?: string): SignatureCheck {
  const problems: string[] = [];
  let key: KeyObject;
  try {
    key = createPublicKey(checkpoint.publicKey);
  } catch (error) {
    return { ok: false, fingerprint: null, problems: [`the checkpoint's publicKey is not a PEM public key (${String(error)})`] };
  }
  const fingerprint = publicKeyFingerprint(key);
  if (key.asymmetricKeyType !== 'ed25519') problems.push(`the checkpoint's key is ${key.asymmetricKeyType}, not Ed25519`);
  if (checkpoint.publicKeyFingerprint && checkpoint.publicKeyFingerprint !== fingerprint) {
    problems.push(`publicKeyFingerprint ${checkpoint.publicKeyFingerprint} is not the fingerprint of the checkpoint's publicKey (${fingerprint})`);
  }
  if (trustedPublicKey !== undefined) {
    let trusted: string;
    try {
      trusted = publicKeyFingerprint(trustedPublicKey);
    } catch (error) {
      throw new Error(`the given public key is not a PEM public key (${String(error)})`);
    }
    if (trusted !== fingerprint) {
      problems.push(`the checkpoint was signed with key ${fingerprint}, not with the given public key ${trusted}`);
    }
  }
  if (problems.length === 0) {
    let valid = false;
    try {
      valid = verify(null, checkpointSigningBytes(checkpoint), key, Buffer.from(checkpoint.signature, 'base64'));
    } catch {
      valid = false;
    }
    if (!valid) problems.push('the signature is not valid for this checkpoint and key (checkpoint altered or signed by another key)');
  }
  return { ok: problems.length === 0, fingerprint, problems };
}

/** Reads a saved checkpoint (JSON): one checkpoint object, as listed by GET /api/audit/checkpoints. */
export function parseSignedCheckpoint(text: string): SignedCheckpoint {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`the checkpoint file is not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error('the checkpoint file does not hold a JSON object');
  const fields = value as Record<string, unknown>;
  if (Array.isArray(fields['items'])) {
    throw new Error('the file holds a list of checkpoints: save one of its items (one checkpoint) to the file');
  }
  const integer = (name: string) => {
    if (typeof fields[name] !== 'number' || !Number.isSafeInteger(fields[name]) || (fields[name] as number) < 0) {
      throw new Error(`the checkpoint's ${name} is not a non-negative integer`);
    }
  };
  integer('globalPosition');
  integer('streamCount');
  for (const name of ['merkleRoot', 'at', 'signature', 'publicKey']) {
    if (typeof fields[name] !== 'string') throw new Error(`the checkpoint has no ${name}`);
  }
  if (fields['algorithm'] !== undefined && fields['algorithm'] !== CHECKPOINT_ALGORITHM) {
    throw new Error(`the checkpoint's algorithm ${String(fields['algorithm'])} is not ${CHECKPOINT_ALGORITHM}`);
  }
  if (fields['heads'] !== undefined) {
    if (!Array.isArray(fields['heads'])) throw new Error("the checkpoint's heads is not a list");
    for (const head of fields['heads'] as unknown[]) {
      const entry = head as Record<string, unknown> | null;
      if (!entry || typeof entry['stream'] !== 'string' || typeof entry['revision'] !== 'number' || typeof entry['hash'] !== 'string') {
        throw new Error("the checkpoint's heads must be {stream, revision, hash} objects");
      }
    }
  }
  if (fields['proofs'] !== undefined) {
    if (!Array.isArray(fields['proofs'])) throw new Error("the checkpoint's proofs is not a list");
    for (const item of fields['proofs'] as unknown[]) {
      const proof = item as Record<string, unknown> | null;
      const head = proof?.['head'] as Record<string, unknown> | undefined;
      if (
        !proof ||
        !head ||
        typeof head['stream'] !== 'string' ||
        typeof head['revision'] !== 'number' ||
        typeof head['hash'] !== 'string' ||
        typeof proof['leafIndex'] !== 'number' ||
        typeof proof['treeSize'] !== 'number' ||
        !Array.isArray(proof['auditPath'])
      ) {
        throw new Error("the checkpoint's proofs must be {head: {stream, revision, hash}, leafIndex, treeSize, auditPath} objects");
      }
    }
  }
  return { algorithm: CHECKPOINT_ALGORITHM, publicKeyFingerprint: '', ...(fields as object) } as SignedCheckpoint;
}

export interface StreamHeadDifference {
  stream: string;
  /** The head the checkpoint recorded (null: the stream did not exist then). */
  checkpoint: { revision: number; hash: string } | null;
  /** The head the log has now as of the checkpoint's position (null: the stream is gone). */
  current: { revision: number; hash: string } | null;
}

/** Streams whose heads differ between two sorted head lists. */
export function diffStreamHeads(expected: readonly StreamHead[], actual: readonly StreamHead[]): StreamHeadDifference[] {
  const differences: StreamHeadDifference[] = [];
  const pick = (head: StreamHead) => ({ revision: head.revision, hash: head.hash });
  let i = 0;
  let j = 0;
  while (i < expected.length || j < actual.length) {
    const order =
      i >= expected.length ? 1 : j >= actual.length ? -1 : compareStreamNames(expected[i].stream, actual[j].stream);
    if (order < 0) {
      differences.push({ stream: expected[i].stream, checkpoint: pick(expected[i]), current: null });
      i += 1;
    } else if (order > 0) {
      differences.push({ stream: actual[j].stream, checkpoint: null, current: pick(actual[j]) });
      j += 1;
    } else {
      if (expected[i].revision !== actual[j].revision || expected[i].hash !== actual[j].hash) {
        differences.push({ stream: expected[i].stream, checkpoint: pick(expected[i]), current: pick(actual[j]) });
      }
      i += 1;
      j += 1;
    }
  }
  return differences;
}

export interface CheckpointVerification {
  /** Signature valid (and by the trusted key if given), and the log reproduces the checkpoint. */
  ok: boolean;
  signature: SignatureCheck;
  /** The store's head position now. */
  headPosition: number;
  /** Root and stream count recomputed from the log as of the checkpoint's position. */
  merkleRoot: string;
  streamCount: number;
  /** Whether the file's heads reproduce its signed root (null: the file has no heads). */
  fileHeadsConsistent: boolean | null;
  /** Whether every inclusion proof in the file leads to its signed root (null: the file has none). */
  fileProofsConsistent: boolean | null;
  /** Streams whose head differs from the checkpoint (known only when the file has consistent heads). */
  differences: StreamHeadDifference[];
  /** Every problem, one sentence each, in the order found. */
  problems: string[];
}

/**
 * Proves (or refutes) that the current log extends a held checkpoint: the signature, then the
 * heads of every stream as of the checkpoint's position, recomputed by scanning the log
 * (scanStreamHeadsAt, checkpoint stream excluded), must reproduce its Merkle root and stream count.
 * Chain verification (verifyEventStore) is separate; run both.
 */
export async function verifyCheckpoint(
  store: EventStore,
  checkpoint: SignedCheckpoint,
  options: { trustedPublicKey?: string; pageSize?: number } = {},
): Promise<CheckpointVerification> {
  const signature = verifyCheckpointSignature(checkpoint, options.trustedPublicKey);
  const problems = signature.problems.map((problem) => `checkpoint signature: ${problem}`);

  let fileHeadsConsistent: boolean | null = null;
  if (checkpoint.heads) {
    let root: string | null = null;
    try {
      root = streamHeadsMerkleRoot(checkpoint.heads);
    } catch {
      root = null;
    }
    fileHeadsConsistent = root === checkpoint.merkleRoot && checkpoint.heads.length === checkpoint.streamCount;
    if (!fileHeadsConsistent) {
      problems.push('the stream heads in the checkpoint file do not reproduce its signed Merkle root (the file was edited)');
    }
  }

  let fileProofsConsistent: boolean | null = null;
  if (checkpoint.proofs) {
    const wrong = checkpoint.proofs.filter((proof) => !verifyStreamHeadInclusion(proof, checkpoint.merkleRoot, checkpoint.streamCount));
    fileProofsConsistent = wrong.length === 0;
    for (const proof of wrong) {
      problems.push(`the inclusion proof of stream ${proof.head.stream} in the checkpoint file does not lead to its signed Merkle root (the file was edited)`);
    }
  }

  const headPosition = await store.headPosition();
  if (headPosition < checkpoint.globalPosition) {
    problems.push(
      `the log ends at position ${headPosition}, before the checkpoint's position ${checkpoint.globalPosition} (events removed from the tail)`,
    );
  }
  const heads = await scanStreamHeadsAt(store, checkpoint.globalPosition, {
    exclude: [CHECKPOINT_STREAM],
    pageSize: options.pageSize,
  });
  const merkleRoot = streamHeadsMerkleRoot(heads);
  let differences: StreamHeadDifference[] = [];
  if (checkpoint.proofs && fileProofsConsistent) {
    // The proven heads name the stream that differs, even without the full list of heads.
    const current = new Map(heads.map((head) => [head.stream, head]));
    for (const { head } of checkpoint.proofs) {
      const now = current.get(head.stream);
      if (!now || now.revision !== head.revision || now.hash !== head.hash) {
        const difference = { stream: head.stream, checkpoint: { revision: head.revision, hash: head.hash }, current: now ? { revision: now.revision, hash: now.hash } : null };
        differences.push(difference);
        problems.push(describeDifference(difference, checkpoint.globalPosition));
      }
    }
  }
  if (merkleRoot !== checkpoint.merkleRoot || heads.length !== checkpoint.streamCount) {
    if (checkpoint.heads && fileHeadsConsistent) {
      differences = [...differences, ...diffStreamHeads(checkpoint.heads, heads)];
      for (const difference of differences) problems.push(describeDifference(difference, checkpoint.globalPosition));
    }
    problems.push(
      `the stream heads as of position ${checkpoint.globalPosition} give Merkle root ${merkleRoot} over ${heads.length} streams; ` +
        `the checkpoint has ${checkpoint.merkleRoot} over ${checkpoint.streamCount} streams` +
        (checkpoint.heads && fileHeadsConsistent
          ? ''
          : ' (the file has no usable stream heads, so the stream cannot be named: save the checkpoint from GET /api/audit/checkpoints/<globalPosition> to include them)'),
    );
  }
  return {
    ok: problems.length === 0,
    signature,
    headPosition,
    merkleRoot,
    streamCount: heads.length,
    fileHeadsConsistent,
    fileProofsConsistent,
    differences,
    problems,
  };
}

function describeDifference(difference: StreamHeadDifference, position: number): string {
  const show = (head: { revision: number; hash: string } | null) =>
    head ? `revision ${head.revision} hash ${head.hash}` : 'no such stream';
  return (
    `stream ${difference.stream}: head as of position ${position} is ${show(difference.current)}, ` +
    `the checkpoint has ${show(difference.checkpoint)}`
  );
}
