import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as auth from 'y-protocols/auth';
import * as sync from 'y-protocols/sync';
import * as Y from 'yjs';
import { MESSAGE_AUTH, MESSAGE_SYNC, parseDenial, peekSyncStep1, readPermissionDenied } from './server-messages';

/** A frame as the server writes it, and a decoder past its message type (as y-websocket hands it over). */
function frame(write: (encoder: encoding.Encoder) => void): { type: number; decoder: decoding.Decoder } {
  const encoder = encoding.createEncoder();
  write(encoder);
  const decoder = decoding.createDecoder(encoding.toUint8Array(encoder));
  return { type: decoding.readVarUint(decoder), decoder };
}

describe('server messages', () => {
  it('reads the state vector of a sync-step-1 without consuming it', () => {
    const doc = new Y.Doc();
    doc.getText('t').insert(0, 'hello');
    const { type, decoder } = frame((e) => {
      encoding.writeVarUint(e, MESSAGE_SYNC);
      sync.writeSyncStep1(e, doc);
    });
    expect(type).toBe(MESSAGE_SYNC);
    expect(peekSyncStep1(decoder)).toEqual(new Map([[doc.clientID, 5]]));
    // The stock handler still reads the whole message.
    expect(decoding.readVarUint(decoder)).toBe(sync.messageYjsSyncStep1);
  });

  it('ignores sync-step-2 and updates', () => {
    const doc = new Y.Doc();
    const { decoder } = frame((e) => {
      encoding.writeVarUint(e, MESSAGE_SYNC);
      sync.writeSyncStep2(e, doc);
    });
    expect(peekSyncStep1(decoder)).toBeNull();
  });

  it('reads the reason of a permission-denied auth message', () => {
    const { type, decoder } = frame((e) => {
      encoding.writeVarUint(e, MESSAGE_AUTH);
      auth.writePermissionDenied(e, 'read-only: The submission has been submitted and is locked.');
    });
    expect(type).toBe(MESSAGE_AUTH);
    expect(readPermissionDenied(decoder)).toBe('read-only: The submission has been submitted and is locked.');
  });

  it('splits a reason into its code and sentence', () => {
    expect(parseDenial('read-only: The submission has been submitted and is locked.')).toEqual({
      code: 'read-only',
      message: 'The submission has been submitted and is locked.',
    });
    expect(parseDenial('too-large: The change is larger than 1 MiB.')).toEqual({ code: 'too-large', message: 'The change is larger than 1 MiB.' });
    expect(parseDenial('session-ended: Signed out.').code).toBe('session-ended');
    expect(parseDenial('Something else: odd')).toEqual({ code: 'other', message: 'Something else: odd' });
  });
});
