import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';

/** y-protocols message types (the first varUint of every frame). */
export const MESSAGE_SYNC = 0;
export const MESSAGE_AUTH = 2;
const SYNC_STEP_1 = 0;
const PERMISSION_DENIED = 0;

/** Why the server refused a write (PROTOCOL: the code before the colon of the reason). */
export type DenialCode = 'read-only' | 'too-large' | 'invalid' | 'forbidden' | 'session-ended' | 'other';

export interface Denial {
  code: DenialCode;
  /** The human sentence after the code (the whole reason when it has no known code). */
  message: string;
}

const CODES: readonly DenialCode[] = ['read-only', 'too-large', 'invalid', 'forbidden', 'session-ended'];

/** `read-only: The submission has been submitted and is locked.` → { code, message }. */
export function parseDenial(reason: string): Denial {
  const match = /^\s*([a-z-]+)\s*:\s*(.*)$/s.exec(reason);
  const code = match && (CODES as readonly string[]).includes(match[1]) ? (match[1] as DenialCode) : null;
  return code ? { code, message: match?.[2].trim() ?? '' } : { code: 'other', message: reason.trim() };
}

/**
 * The state vector of a sync-step-1 message, read from the decoder positioned after the message
 * type (as y-websocket hands it to its sync handler); null for the other sync messages. Reads a
 * copy: the decoder itself is left for the stock handler.
 */
export function peekSyncStep1(decoder: decoding.Decoder): Map<number, number> | null {
  const copy = decoding.clone(decoder);
  if (decoding.readVarUint(copy) !== SYNC_STEP_1) return null;
  return Y.decodeStateVector(decoding.readVarUint8Array(copy));
}

/** The reason of an auth permission-denied message (decoder after the message type), else null. */
export function readPermissionDenied(decoder: decoding.Decoder): string | null {
  if (decoding.readVarUint(decoder) !== PERMISSION_DENIED) return null;
  return decoding.readVarString(decoder);
}
