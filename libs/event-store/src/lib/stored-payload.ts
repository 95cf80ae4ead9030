import type { EventData, JsonValue } from './event-store.port';

/**
 * How the SQL adapters store a payload: bytes as they are, JSON as its UTF-8 text, with a flag
 * telling them apart (`is_binary`), so that a byte-exact Yjs update and a domain event share a column.
 */
export interface StoredPayload {
  isBinary: boolean;
  /** Bytes for binary payloads, JSON text otherwise. */
  content: Buffer | string;
}

export function toStoredPayload(data: EventData): StoredPayload {
  if (data instanceof Uint8Array) {
    return { isBinary: true, content: Buffer.from(data.buffer, data.byteOffset, data.byteLength) };
  }
  return { isBinary: false, content: JSON.stringify(data) };
}

/**
 * The inverse of toStoredPayload. Binary payloads come back as a plain Uint8Array view (not the
 * driver's Buffer) so that every adapter returns the same type.
 */
export function fromStoredPayload(isBinary: boolean, content: Buffer | Uint8Array | string): EventData {
  if (isBinary) {
    if (typeof content === 'string') return new Uint8Array(Buffer.from(content, 'utf8'));
    return new Uint8Array(content.buffer, content.byteOffset, content.byteLength);
  }
  const text =
    typeof content === 'string'
      ? content
      : Buffer.from(content.buffer, content.byteOffset, content.byteLength).toString('utf8');
  return JSON.parse(text) as JsonValue;
}
