import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';

/**
 * The y-websocket wire format (what the stock `WebsocketProvider` speaks), parsed strictly.
 *
 * Every frame is `varUint messageType` followed by the message. Parsing never throws and never trusts
 * a length: a frame that is truncated, carries trailing bytes or an unknown type is reported as
 * malformed so the caller can log it and move on.
 */
export const MESSAGE_SYNC = 0;
export const MESSAGE_AWARENESS = 1;
export const MESSAGE_AUTH = 2;
export const MESSAGE_QUERY_AWARENESS = 3;

export type IncomingMessage =
  | { readonly kind: 'sync-step-1'; readonly stateVector: Uint8Array }
  | { readonly kind: 'sync-step-2'; readonly update: Uint8Array }
  | { readonly kind: 'sync-update'; readonly update: Uint8Array }
  | { readonly kind: 'awareness'; readonly update: Uint8Array; readonly entries: readonly AwarenessEntry[] }
  | { readonly kind: 'query-awareness' };

/** One client's entry in an awareness update; `state` is null when the client leaves. */
export interface AwarenessEntry {
  readonly clientId: number;
  readonly clock: number;
  readonly state: unknown;
  /** Length of the state's encoded JSON in bytes (what the awareness size limit applies to). */
  readonly stateBytes: number;
}

export type ParsedFrame =
  | { readonly ok: true; readonly message: IncomingMessage }
  | { readonly ok: false; readonly reason: string };

class MalformedFrame extends Error {}

class FrameReader {
  private readonly decoder: decoding.Decoder;

  constructor(private readonly bytes: Uint8Array) {
    this.decoder = decoding.createDecoder(bytes);
  }

  get remaining(): number {
    return this.bytes.length - this.decoder.pos;
  }

  varUint(what: string): number {
    if (this.remaining < 1) throw new MalformedFrame(`${what}: frame ends early`);
    let value: number;
    try {
      value = decoding.readVarUint(this.decoder);
    } catch {
      throw new MalformedFrame(`${what}: truncated variable-length integer`);
    }
    if (!Number.isSafeInteger(value)) throw new MalformedFrame(`${what}: integer out of range`);
    return value;
  }

  bytesOfVarLength(what: string): Uint8Array {
    const length = this.varUint(`${what} length`);
    if (length > this.remaining) {
      throw new MalformedFrame(`${what}: declares ${length} bytes, ${this.remaining} remain`);
    }
    return decoding.readUint8Array(this.decoder, length);
  }

  /** A varString and its length in bytes (UTF-8, without the length prefix). */
  varStringWithLength(what: string): { value: string; bytes: number } {
    const start = this.decoder.pos;
    const length = this.varUint(`${what} length`);
    if (length > this.remaining) {
      throw new MalformedFrame(`${what}: declares ${length} bytes, ${this.remaining} remain`);
    }
    this.decoder.pos = start;
    return { value: decoding.readVarString(this.decoder), bytes: length };
  }

  end(what: string): void {
    if (this.remaining !== 0) throw new MalformedFrame(`${what}: ${this.remaining} unexpected trailing bytes`);
  }
}

/** Parses one frame a client sent. `frame` must not be a view into a larger pooled buffer. */
export function parseIncomingFrame(frame: Uint8Array): ParsedFrame {
  try {
    return { ok: true, message: readFrame(new FrameReader(frame)) };
  } catch (error) {
    if (error instanceof MalformedFrame) return { ok: false, reason: error.message };
    return { ok: false, reason: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
}

function readFrame(reader: FrameReader): IncomingMessage {
  const messageType = reader.varUint('message type');
  switch (messageType) {
    case MESSAGE_SYNC: {
      const syncType = reader.varUint('sync message type');
      const payload = reader.bytesOfVarLength('sync payload');
      reader.end('sync message');
      switch (syncType) {
        case syncProtocol.messageYjsSyncStep1:
          checkStateVector(payload);
          return { kind: 'sync-step-1', stateVector: payload };
        case syncProtocol.messageYjsSyncStep2:
          return { kind: 'sync-step-2', update: payload };
        case syncProtocol.messageYjsUpdate:
          return { kind: 'sync-update', update: payload };
        default:
          throw new MalformedFrame(`unknown sync message type ${syncType}`);
      }
    }
    case MESSAGE_AWARENESS: {
      const update = reader.bytesOfVarLength('awareness payload');
      reader.end('awareness message');
      return { kind: 'awareness', update, entries: readAwarenessEntries(update) };
    }
    case MESSAGE_QUERY_AWARENESS:
      reader.end('query-awareness message');
      return { kind: 'query-awareness' };
    default:
      throw new MalformedFrame(`unknown message type ${messageType}`);
  }
}

/** A state vector is `count × (client, clock)`; anything else would make yjs misbehave. */
function checkStateVector(bytes: Uint8Array): void {
  const reader = new FrameReader(bytes);
  const count = reader.varUint('state vector size');
  if (count * 2 > reader.remaining) throw new MalformedFrame(`state vector: ${count} entries cannot fit`);
  for (let index = 0; index < count; index++) {
    reader.varUint('state vector client');
    reader.varUint('state vector clock');
  }
  reader.end('state vector');
}

function readAwarenessEntries(bytes: Uint8Array): AwarenessEntry[] {
  const reader = new FrameReader(bytes);
  const count = reader.varUint('awareness entry count');
  if (count * 3 > reader.remaining) throw new MalformedFrame(`awareness: ${count} entries cannot fit`);
  const entries: AwarenessEntry[] = [];
  for (let index = 0; index < count; index++) {
    const clientId = reader.varUint('awareness client id');
    const clock = reader.varUint('awareness clock');
    const { value: json, bytes: stateBytes } = reader.varStringWithLength('awareness state');
    let state: unknown;
    try {
      state = JSON.parse(json);
    } catch {
      throw new MalformedFrame(`awareness state of client ${clientId} is not JSON`);
    }
    entries.push({ clientId, clock, state, stateBytes });
  }
  reader.end('awareness update');
  return entries;
}

export function encodeSyncStep1(doc: Y.Doc): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_SYNC);
  syncProtocol.writeSyncStep1(encoder, doc);
  return encoding.toUint8Array(encoder);
}

/** The reply to a client's SyncStep1: everything the client's state vector lacks. */
export function encodeSyncStep2(doc: Y.Doc, stateVector: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_SYNC);
  syncProtocol.writeSyncStep2(encoder, doc, stateVector);
  return encoding.toUint8Array(encoder);
}

export function encodeSyncUpdate(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_SYNC);
  syncProtocol.writeUpdate(encoder, update);
  return encoding.toUint8Array(encoder);
}

export function encodeAwarenessMessage(awarenessUpdate: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_AWARENESS);
  encoding.writeVarUint8Array(encoder, awarenessUpdate);
  return encoding.toUint8Array(encoder);
}

/** The awareness message carrying every known state, or null when nobody is present. */
export function encodeAllAwarenessStates(awareness: awarenessProtocol.Awareness): Uint8Array | null {
  const clients = [...awareness.getStates().keys()];
  if (clients.length === 0) return null;
  return encodeAwarenessMessage(awarenessProtocol.encodeAwarenessUpdate(awareness, clients));
}

/** Why the server refused something, as the first word of a permission-denied reason (PROTOCOL). */
export type RefusalCode = 'read-only' | 'too-large' | 'invalid' | 'forbidden' | 'session-ended';

/**
 * The y-protocols auth message `permission-denied` (messageAuth = 2, then 0, then the reason). The
 * reason is `<code>: <sentence>` so that a client can act on the code and show the sentence.
 */
export function encodePermissionDenied(code: RefusalCode, sentence: string): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_AUTH);
  encoding.writeVarUint(encoder, 0);
  encoding.writeVarString(encoder, `${code}: ${sentence}`);
  return encoding.toUint8Array(encoder);
}
