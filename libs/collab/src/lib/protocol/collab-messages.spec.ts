import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { encodeSyncStep1, encodeSyncUpdate, parseIncomingFrame } from './collab-messages';

function bytes(write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  write(encoder);
  return encoding.toUint8Array(encoder);
}

describe('parseIncomingFrame', () => {
  it('reads what the stock provider sends', () => {
    const doc = new Y.Doc();
    doc.getXmlFragment('content').insert(0, [new Y.XmlText('hi')]);
    const step1 = parseIncomingFrame(encodeSyncStep1(doc));
    expect(step1).toMatchObject({ ok: true, message: { kind: 'sync-step-1' } });
    const update = Y.encodeStateAsUpdate(doc);
    const parsed = parseIncomingFrame(encodeSyncUpdate(update));
    expect(parsed).toEqual({ ok: true, message: { kind: 'sync-update', update } });
    expect(parseIncomingFrame(bytes((e) => encoding.writeVarUint(e, 3)))).toEqual({
      ok: true,
      message: { kind: 'query-awareness' },
    });
    doc.destroy();
  });

  it('reads awareness entries with their client ids and the UTF-8 size of each state', () => {
    const inner = bytes((e) => {
      encoding.writeVarUint(e, 1);
      encoding.writeVarUint(e, 42);
      encoding.writeVarUint(e, 3);
      encoding.writeVarString(e, '{"user":{"name":"Å"}}');
    });
    const parsed = parseIncomingFrame(bytes((e) => (encoding.writeVarUint(e, 1), encoding.writeVarUint8Array(e, inner))));
    expect(parsed).toEqual({
      ok: true,
      message: { kind: 'awareness', update: inner, entries: [{ clientId: 42, clock: 3, state: { user: { name: 'Å' } }, stateBytes: 22 }] },
    });
  });

  it.each([
    ['an empty frame', new Uint8Array(0)],
    ['an unknown message type', bytes((e) => encoding.writeVarUint(e, 9))],
    ['an auth message', bytes((e) => encoding.writeVarUint(e, 2))],
    ['an unknown sync type', bytes((e) => (encoding.writeVarUint(e, 0), encoding.writeVarUint(e, 5), encoding.writeVarUint8Array(e, new Uint8Array(2))))],
    ['a length beyond the frame', bytes((e) => (encoding.writeVarUint(e, 0), encoding.writeVarUint(e, 2), encoding.writeVarUint(e, 1e6)))],
    ['trailing bytes', bytes((e) => (encoding.writeVarUint(e, 3), encoding.writeVarUint(e, 0)))],
    ['a truncated varint', Uint8Array.from([0x80])],
    ['a state vector that does not parse', bytes((e) => (encoding.writeVarUint(e, 0), encoding.writeVarUint(e, 0), encoding.writeVarUint8Array(e, Uint8Array.from([5, 1]))))],
    ['awareness state that is not JSON', bytes((e) => {
      const inner = bytes((i) => (encoding.writeVarUint(i, 1), encoding.writeVarUint(i, 1), encoding.writeVarUint(i, 1), encoding.writeVarString(i, '{nope')));
      encoding.writeVarUint(e, 1);
      encoding.writeVarUint8Array(e, inner);
    })],
  ])('reports %s as malformed', (_case, frame) => {
    const parsed = parseIncomingFrame(frame);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok === false && parsed.reason.length > 0).toBe(true);
  });
});
