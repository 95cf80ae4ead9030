export interface AuditEventDto {
  position: number;
  stream: string;
  revision: number;
  type: string;
  userId: string;
  at: string;
  /** JSON data, or for binary payloads `{ binary: true, bytes: n }`. */
  data: unknown;
  metadata: Record<string, unknown>;
}

export interface AuditEventPage {
  items: AuditEventDto[];
  next: number | null;
}

export interface ChainVerificationDto {
  ok: boolean;
  streamsChecked: number;
  eventsChecked: number;
  checkedAt: string;
  firstBreak: { stream: string; revision: number | null; reason: string } | null;
}

export interface HealthDto {
  status: 'ok';
  eventStore: string;
  headPosition: number;
  version: string;
}

export interface ApiErrorDto {
  statusCode: number;
  error: string;
  message: string | string[];
}

/** One stream's last event as of a checkpoint: a leaf of the checkpoint's Merkle tree. */
export interface StreamHeadDto {
  stream: string;
  revision: number;
  hash: string;
}

/**
 * A signed checkpoint (a CheckpointSigned event of the `audit-checkpoints` stream). Saved as JSON to
 * a file, it is what `npm run verify -- --checkpoint <file>` proves the log extends.
 * The Ed25519 signature covers utf8("concord-checkpoint-v1\n" + canonical JSON of
 * {at, globalPosition, merkleRoot, streamCount}).
 */
export interface CheckpointDto {
  /** The log's head position the stream heads were taken at. */
  globalPosition: number;
  /** RFC 6962 Merkle root (hex) over every stream's head but the checkpoint stream's, in stream-name order. */
  merkleRoot: string;
  streamCount: number;
  /** When it was signed (ISO-8601). */
  at: string;
  algorithm: 'Ed25519';
  /** Base64 signature. */
  signature: string;
  /** sha256 (hex) of the signing key's DER SubjectPublicKeyInfo. */
  publicKeyFingerprint: string;
  /** The signing key's public half (SPKI PEM). */
  publicKey: string;
  /** Position of the CheckpointSigned event itself. */
  eventPosition: number;
  /**
   * Only from GET /api/audit/checkpoints/<globalPosition>, for a platform administrator: every head
   * the root was computed from.
   */
  heads?: StreamHeadDto[];
  /**
   * Only from GET /api/audit/checkpoints/<globalPosition>, for an auditor of some workspaces: the
   * heads of their streams, each with an inclusion proof to `merkleRoot` (no other stream is named).
   */
  proofs?: StreamHeadProofDto[];
}

/** RFC 6962 inclusion proof of one stream head in a checkpoint's tree (verify as RFC 9162 §2.1.3.2). */
export interface StreamHeadProofDto {
  head: StreamHeadDto;
  /** Index of the leaf in stream-name (UTF-8 byte) order. */
  leafIndex: number;
  /** Leaves in the tree: the checkpoint's streamCount. */
  treeSize: number;
  /** Sibling hashes from the leaf up to the root, hex. */
  auditPath: string[];
}

export interface CheckpointListDto {
  /** This node's current checkpoint signing key (SPKI PEM), or null when it signs none. */
  publicKey: string | null;
  publicKeyFingerprint: string | null;
  /** Newest first. */
  items: CheckpointDto[];
}
