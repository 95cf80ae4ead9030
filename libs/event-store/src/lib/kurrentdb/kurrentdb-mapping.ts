import {
  binaryEvent,
  CancelledError,
  convertToCommandError,
  DeadlineExceededError,
  jsonEvent,
  NO_STREAM,
  NotLeaderError,
  START,
  streamNameFilter,
  StreamDeletedError as KurrentStreamDeletedError,
  StreamNotFoundError as KurrentStreamNotFoundError,
  TimeoutError,
  UnavailableError,
  WrongExpectedVersionError,
} from '@kurrent/kurrentdb-client';
import type {
  AllStreamRecordedEvent,
  AppendStreamState,
  EventData as KurrentEventData,
  Filter,
  Position,
  ReadPosition,
  RecordedEvent as KurrentRecordedEvent,
} from '@kurrent/kurrentdb-client';
import { sha256Hex } from '@concord/integrity';
import { EventStoreUnavailableError, WrongExpectedRevisionError } from '../errors';
import type { EventData, EventMetadata, ExpectedRevision, JsonValue, RecordedEvent } from '../event-store.port';
import type { SealedEvent } from '../append/seal-events';
import { matchesStreamPrefixes } from '../stream-prefixes';

/*
 * The pure half of the KurrentDB adapter: how our port's notions (global positions, stream names,
 * expected revisions, payloads, errors) map onto the client's. No I/O here, so all of it is unit
 * tested without a server (kurrentdb-mapping.spec.ts).
 */

// ---------------------------------------------------------------------------------------------
// Global positions
// ---------------------------------------------------------------------------------------------

/**
 * The port's global position of an event read from KurrentDB: its `$all` commit position.
 *
 * KurrentDB positions are byte offsets in the transaction log: strictly increasing in `$all` order
 * but not dense (they jump by the size of each record). For events written by an ordinary append
 * (an implicit transaction — the only kind the gRPC API writes) the commit position equals the
 * event's own prepare position, so it is unique per event. Logs that still hold explicit
 * transactions from the retired TCP API can have several events share one commit position; this
 * adapter does not support such logs (positions would not be strictly increasing).
 *
 * Caveat: a JavaScript number is exact up to 2^53 - 1. A commit position reaches that after
 * 8 PiB of transaction log; beyond it this throws rather than hand out a position that could
 * collide or go backwards.
 */
export function toGlobalPosition(position: Position | undefined): number {
  if (!position) {
    throw new Error('KurrentDB returned an event without its $all position (the server must be 22.6 or later)');
  }
  if (position.commit > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new RangeError(
      `KurrentDB commit position ${position.commit} exceeds 2^53 - 1 and cannot be represented as a global position`,
    );
  }
  return Number(position.commit);
}

/**
 * Where to start reading `$all` so that events strictly after `afterPosition` are included.
 * 0 means "from the start". Otherwise `afterPosition` is a position this adapter handed out, i.e.
 * the commit (= prepare) position of an event, which is a valid place to start. KurrentDB reads
 * forwards from a position inclusively, and catch-up subscriptions start after it; callers drop
 * anything at or before `afterPosition` themselves, so both behaviours give exclusive semantics.
 */
export function toReadPosition(afterPosition: number): ReadPosition {
  if (!Number.isSafeInteger(afterPosition) || afterPosition < 0) {
    throw new RangeError(`afterPosition must be a non-negative safe integer, got ${afterPosition}`);
  }
  if (afterPosition === 0) return START;
  const position = BigInt(afterPosition);
  return { commit: position, prepare: position };
}

// ---------------------------------------------------------------------------------------------
// Stream names and the server-side $all filter
// ---------------------------------------------------------------------------------------------

/** KurrentDB's own streams ($all bookkeeping, metadata streams `$$…`, projections, stats) start with `$`. */
export function isSystemStream(stream: string): boolean {
  return stream.startsWith('$');
}

/**
 * A namespace is a prefix added to every stream name, so that several independent stores (each
 * test run, for instance) can share one KurrentDB. '' (the default) means none.
 */
export function assertValidNamespace(namespace: string): void {
  if (isSystemStream(namespace)) {
    throw new Error(`A KurrentDB stream namespace cannot start with "$" (reserved for system streams): "${namespace}"`);
  }
}

/** Matches every stream name that does not start with `$`: our events, none of KurrentDB's. */
export const NON_SYSTEM_STREAM_REGEX = '^[^$]';

/**
 * The server-side `$all` filter for a read or subscription: only this store's streams (never a
 * system stream), and of those only the ones starting with one of `streamPrefixes` when given.
 * KurrentDB takes one filter per request, on stream names here:
 * - with prefixes: a prefix filter on `namespace + prefix` (a prefix never starts with `$`, so system
 *   streams are excluded by construction — except an empty prefix in an empty namespace, which
 *   would match everything and so falls back to the regex);
 * - without: a prefix filter on the namespace, or with no namespace the regex `^[^$]`.
 * `isVisibleStream` applies the same rule on the client as a second line of defence.
 */
export function buildAllFilter(namespace: string, streamPrefixes?: readonly string[]): Filter {
  const prefixes =
    streamPrefixes && streamPrefixes.length > 0 ? streamPrefixes.map((prefix) => namespace + prefix) : [namespace];
  if (prefixes.some((prefix) => prefix === '' || isSystemStream(prefix))) {
    return streamNameFilter({ regex: NON_SYSTEM_STREAM_REGEX });
  }
  return streamNameFilter({ prefixes: [...new Set(prefixes)] });
}

/** Whether an event of the physical stream `stream` belongs to this store and to the prefix filter. */
export function isVisibleStream(stream: string, namespace: string, streamPrefixes?: readonly string[]): boolean {
  if (isSystemStream(stream) || !stream.startsWith(namespace)) return false;
  return matchesStreamPrefixes(stream.slice(namespace.length), streamPrefixes);
}

// ---------------------------------------------------------------------------------------------
// Appends
// ---------------------------------------------------------------------------------------------

/** The exact stream state to append at, from the revision of the stream's last event (-1: none). */
export function toAppendStreamState(lastRevision: number): AppendStreamState {
  return lastRevision < 0 ? NO_STREAM : BigInt(lastRevision);
}

/** The revision a WrongExpectedVersionError reports the stream at (-1: no stream). */
export function actualRevisionOf(error: WrongExpectedVersionError): number {
  const actual = error.actualState;
  return typeof actual === 'bigint' ? Number(actual) : -1;
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * KurrentDB event ids are UUIDs. Our ids are UUIDs in practice and are used as they are (lower
 * case); any other id is mapped to a stable name-based UUID (sha256, RFC 9562 version 8), so that
 * the same id always gives the same KurrentDB id. The port's id itself travels in
 * `metadata.eventId`, which is what reads return.
 */
export function toKurrentEventId(id: string): string {
  if (UUID_PATTERN.test(id)) return id.toLowerCase();
  const hex = sha256Hex(`concord-event-id:${id}`).slice(0, 32).split('');
  hex[12] = '8'; // version 8: custom
  hex[16] = ((Number.parseInt(hex[16], 16) & 0x3) | 0x8).toString(16); // RFC 9562 variant
  const digits = hex.join('');
  return `${digits.slice(0, 8)}-${digits.slice(8, 12)}-${digits.slice(12, 16)}-${digits.slice(16, 20)}-${digits.slice(20)}`;
}

/**
 * A sealed event as KurrentDB stores it: bytes (Yjs updates, checkpoints) as an
 * application/octet-stream event, JSON as an application/json event, metadata always as JSON.
 */
export function toKurrentEventData(event: SealedEvent): KurrentEventData {
  const common = { id: toKurrentEventId(event.id), type: event.type, metadata: { ...event.metadata } };
  if (event.data instanceof Uint8Array) {
    return binaryEvent({ ...common, data: event.data }) as KurrentEventData;
  }
  // The client's JSON type is narrower than JSON (no top-level null, number or boolean), but it
  // only JSON.stringify-s the value, which round-trips every JsonValue.
  return jsonEvent({ ...common, data: event.data as unknown as Record<string, unknown> }) as KurrentEventData;
}

// ---------------------------------------------------------------------------------------------
// Reads
// ---------------------------------------------------------------------------------------------

/**
 * One KurrentDB event as the port's RecordedEvent: logical stream name (namespace removed),
 * revision and position as numbers, bytes as a plain Uint8Array copy (not the driver's Buffer or a
 * view of its receive buffer), JSON as parsed, metadata as stored.
 *
 * The id is the port's id from `metadata.eventId` when it corresponds to KurrentDB's own event id,
 * otherwise KurrentDB's id — so a metadata edit still shows up in verify as an id mismatch.
 * Throws when the stored metadata is not a JSON object (the client then hands back raw bytes):
 * verify reports such an event as unreadable.
 */
export function fromKurrentRecord(
  record: KurrentRecordedEvent | AllStreamRecordedEvent,
  namespace: string,
): RecordedEvent {
  const metadata = record.metadata;
  if (metadata === null || typeof metadata !== 'object' || metadata instanceof Uint8Array || Array.isArray(metadata)) {
    throw new Error(`Event ${record.id} in ${record.streamId} at revision ${record.revision} has no JSON metadata`);
  }
  const eventMetadata = metadata as unknown as EventMetadata;
  const claimedId = eventMetadata.eventId;
  const id = typeof claimedId === 'string' && toKurrentEventId(claimedId) === record.id.toLowerCase() ? claimedId : record.id;
  return {
    id,
    stream: record.streamId.startsWith(namespace) ? record.streamId.slice(namespace.length) : record.streamId,
    revision: Number(record.revision),
    position: toGlobalPosition(record.position),
    type: record.type,
    data: toEventData(record),
    metadata: eventMetadata,
  };
}

function toEventData(record: KurrentRecordedEvent | AllStreamRecordedEvent): EventData {
  const data: unknown = record.data;
  if (!record.isJson) {
    const bytes = data as Uint8Array;
    return new Uint8Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  }
  return data as JsonValue;
}

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

/** gRPC status codes of a call the server did not (or could not) complete in time. */
const GRPC_DEADLINE_EXCEEDED = 4;
const GRPC_UNAVAILABLE = 14;
/** Client-side failures to reach any node, reported as plain Errors. */
const CONNECTION_FAILURE_MESSAGE = /failed to discover|no connection established|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|EAI_AGAIN/i;

/**
 * True for failures a caller may retry once KurrentDB is reachable again: no node answers, the
 * deadline passed, the node lost leadership mid-call (the client reconnects to the new leader on
 * the next call), or the call was cancelled under us (a dropped connection).
 */
export function isKurrentDbUnavailable(error: unknown): boolean {
  if (error instanceof EventStoreUnavailableError) return true;
  if (!(error instanceof Error)) return false;
  const converted = convertToCommandError(error);
  if (
    converted instanceof UnavailableError ||
    converted instanceof DeadlineExceededError ||
    converted instanceof TimeoutError ||
    converted instanceof NotLeaderError ||
    converted instanceof CancelledError
  ) {
    return true;
  }
  const code = (error as { code?: unknown }).code;
  if (code === GRPC_UNAVAILABLE || code === GRPC_DEADLINE_EXCEEDED) return true;
  return CONNECTION_FAILURE_MESSAGE.test(error.message);
}

/** The client's "no such stream" errors (a deleted stream counts as missing; this store never deletes). */
export function isKurrentStreamNotFound(error: unknown): boolean {
  return error instanceof KurrentStreamNotFoundError || error instanceof KurrentStreamDeletedError;
}

export interface ErrorContext {
  /** For the message: "appending to proposal-1", "reading all events". */
  whileDoing: string;
  /** Logical stream name and the caller's expected revision, for WrongExpectedRevisionError. */
  stream?: string;
  expected?: ExpectedRevision;
}

/**
 * Maps a client error onto the port's errors: a wrong expected version becomes
 * WrongExpectedRevisionError (with the caller's expectation and the actual revision), anything
 * retryable becomes EventStoreUnavailableError (the API answers 503 with Retry-After); other errors
 * pass through unchanged.
 */
export function mapKurrentDbError(error: unknown, context: ErrorContext): unknown {
  if (error instanceof WrongExpectedRevisionError || error instanceof EventStoreUnavailableError) return error;
  const converted = error instanceof Error ? convertToCommandError(error) : error;
  if (converted instanceof WrongExpectedVersionError) {
    return new WrongExpectedRevisionError(
      context.stream ?? converted.streamName,
      context.expected ?? describeAppendState(converted.expectedState),
      actualRevisionOf(converted),
    );
  }
  if (isKurrentDbUnavailable(error)) {
    const reason = error instanceof Error ? error.message || error.constructor.name : String(error);
    return new EventStoreUnavailableError(`KurrentDB is unavailable while ${context.whileDoing}: ${reason}`, error);
  }
  return error;
}

function describeAppendState(state: AppendStreamState): ExpectedRevision {
  return typeof state === 'bigint' ? Number(state) : state;
}
