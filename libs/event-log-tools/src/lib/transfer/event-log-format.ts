import { canonicalJson } from '@concord/integrity';
import type { EventData, EventMetadata, EventStore, JsonValue, RecordedEvent } from '@concord/event-store';

/**
 * The export file (`npm run export`): NDJSON, UTF-8, one JSON object per line, each line ending
 * in "\n".
 *
 * Line 1, the header:
 *   {"format":"concord-event-log","version":1,"source":"sqlite","exportedAt":"…","eventCount":N,
 *    "streamCount":S,"lastPosition":P}
 * Lines 2…N+1, one per event in global order:
 *   {"position":…,"stream":…,"revision":…,"id":…,"type":…,"data":<JSON>,"metadata":{…}}
 *   or, for a binary payload (Yjs update or state), "dataBase64":"<standard base64>" instead of "data".
 *
 * `data` and `metadata` are written as canonical JSON (RFC 8785, as hashed), the other fields in
 * the order above, so an event line depends only on the event: export → import → export gives the
 * same event lines byte for byte. Only the header differs between two exports of the same log:
 * `exportedAt`, and `source` when the stores are of different kinds.
 */
export const EVENT_LOG_FORMAT = 'concord-event-log';
export const EVENT_LOG_VERSION = 1;

export interface EventLogHeader {
  format: typeof EVENT_LOG_FORMAT;
  version: number;
  /** Kind of the store exported. */
  source: EventStore['kind'];
  /** ISO-8601 time of the export. */
  exportedAt: string;
  eventCount: number;
  streamCount: number;
  /** Position of the last event (0 for an empty log). */
  lastPosition: number;
}

/** A line of an export file that cannot be read or does not hold together; names the line. */
export class EventLogFormatError extends Error {
  override readonly name = 'EventLogFormatError';
  constructor(
    readonly line: number,
    readonly detail: string,
    readonly stream?: string,
    readonly revision?: number,
  ) {
    super(
      `line ${line}${stream !== undefined ? ` (stream ${stream}${revision !== undefined ? ` revision ${revision}` : ''})` : ''}: ${detail}`,
    );
  }
}

export function formatHeaderLine(header: EventLogHeader): string {
  const { format, version, source, exportedAt, eventCount, streamCount, lastPosition } = header;
  return `${JSON.stringify({ format, version, source, exportedAt, eventCount, streamCount, lastPosition })}\n`;
}

export function formatEventLine(event: RecordedEvent): string {
  const payload =
    event.data instanceof Uint8Array
      ? `"dataBase64":"${Buffer.from(event.data.buffer, event.data.byteOffset, event.data.byteLength).toString('base64')}"`
      : `"data":${canonicalJson(event.data)}`;
  return (
    `{"position":${event.position},"stream":${JSON.stringify(event.stream)},"revision":${event.revision},` +
    `"id":${JSON.stringify(event.id)},"type":${JSON.stringify(event.type)},${payload},` +
    `"metadata":${canonicalJson(event.metadata)}}\n`
  );
}

export function parseHeaderLine(text: string, line = 1): EventLogHeader {
  const value = parseJsonObject(text, line);
  if (value['format'] !== EVENT_LOG_FORMAT) {
    throw new EventLogFormatError(line, `not a Concord event log (the header's format is not "${EVENT_LOG_FORMAT}")`);
  }
  if (value['version'] !== EVENT_LOG_VERSION) {
    throw new EventLogFormatError(line, `format version ${String(value['version'])} is not supported (expected ${EVENT_LOG_VERSION})`);
  }
  for (const field of ['eventCount', 'streamCount', 'lastPosition']) {
    if (!isNonNegativeInteger(value[field])) throw new EventLogFormatError(line, `header field ${field} is not a non-negative integer`);
  }
  for (const field of ['source', 'exportedAt']) {
    if (typeof value[field] !== 'string') throw new EventLogFormatError(line, `header field ${field} is not a string`);
  }
  return value as unknown as EventLogHeader;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Reads one event line; checks its shape only (the chain is checked by verifyEventLog). */
export function parseEventLine(text: string, line: number): RecordedEvent {
  const value = parseJsonObject(text, line);
  const stream = value['stream'];
  const revision = value['revision'];
  if (typeof stream !== 'string' || stream.length === 0) throw new EventLogFormatError(line, 'stream is missing or not a string');
  if (!isNonNegativeInteger(revision)) throw new EventLogFormatError(line, 'revision is not a non-negative integer', stream);
  const fail = (detail: string): never => {
    throw new EventLogFormatError(line, detail, stream, revision);
  };
  const position = value['position'];
  if (!isNonNegativeInteger(position) || position === 0) fail('position is not a positive integer');
  if (typeof value['id'] !== 'string' || value['id'] === '') fail('id is missing or not a string');
  if (typeof value['type'] !== 'string' || value['type'] === '') fail('type is missing or not a string');

  const hasJson = Object.prototype.hasOwnProperty.call(value, 'data');
  const hasBinary = Object.prototype.hasOwnProperty.call(value, 'dataBase64');
  if (hasJson === hasBinary) fail('exactly one of data and dataBase64 is required');
  let data: EventData;
  if (hasBinary) {
    const encoded = value['dataBase64'];
    if (typeof encoded !== 'string' || encoded.length % 4 !== 0 || !BASE64.test(encoded)) fail('dataBase64 is not base64');
    data = new Uint8Array(Buffer.from(encoded as string, 'base64'));
  } else {
    data = value['data'] as JsonValue;
  }

  const metadata = value['metadata'];
  if (!metadata || typeof metadata !== 'object' || Array.isArray(metadata)) fail('metadata is not an object');
  const fields = metadata as Record<string, unknown>;
  for (const field of ['eventId', 'userId', 'at', 'prevHash', 'hash']) {
    if (typeof fields[field] !== 'string') fail(`metadata.${field} is missing or not a string`);
  }
  return {
    position: position as number,
    stream,
    revision,
    id: value['id'] as string,
    type: value['type'] as string,
    data,
    metadata: metadata as EventMetadata,
  };
}

function parseJsonObject(text: string, line: number): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new EventLogFormatError(line, `not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new EventLogFormatError(line, 'not a JSON object');
  return value as Record<string, unknown>;
}

function isNonNegativeInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}
