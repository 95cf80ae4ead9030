import { validateYjsUpdate } from '@concord/content';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { WebSocket } from 'ws';
import {
  appendParagraph,
  contentEvents,
  eventually,
  sleep,
  textOf,
  useCollabHarness,
  users,
} from '../testing/collab-harness';
import { mulberry32 as prng } from '@concord/content/testing';

jest.setTimeout(60_000);


function frame(write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  write(encoder);
  return encoding.toUint8Array(encoder);
}

/** A valid update the garbage generator mutates. */
function sampleUpdate(): Uint8Array {
  const doc = new Y.Doc();
  appendParagraph(doc.getXmlFragment('content'), 'a real paragraph to corrupt');
  const update = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return update;
}

function garbageFrames(count: number, seed: number): Array<Uint8Array | string> {
  const random = prng(seed);
  const valid = sampleUpdate();
  const bytes = (length: number) => Uint8Array.from({ length }, () => Math.floor(random() * 256));
  const makers: Array<() => Uint8Array | string> = [
    () => new Uint8Array(0), // zero-length frame
    () => bytes(1 + Math.floor(random() * 64)), // pure noise
    () => 'not a binary frame',
    () => frame((e) => encoding.writeVarUint(e, 7 + Math.floor(random() * 1000))), // unknown message type
    () => frame((e) => encoding.writeVarUint(e, 2)), // auth message from a client
    () => frame((e) => (encoding.writeVarUint(e, 0), encoding.writeVarUint(e, 9))), // unknown sync type
    () => frame((e) => (encoding.writeVarUint(e, 0), encoding.writeVarUint(e, 2), encoding.writeVarUint(e, 1_000_000))), // length beyond the frame
    () => {
      // noise as an update (random bytes that happen to parse would be a legitimate write)
      let noise = bytes(40);
      while (validateYjsUpdate(noise).ok) noise = bytes(40);
      return frame((e) => (encoding.writeVarUint(e, 0), encoding.writeVarUint(e, 2), encoding.writeVarUint8Array(e, noise)));
    },
    () => frame((e) => (encoding.writeVarUint(e, 0), encoding.writeVarUint(e, 2), encoding.writeVarUint8Array(e, new Uint8Array(0)))), // empty update bytes
    () => {
      // a real update, truncated
      let cut = valid.subarray(0, 1 + Math.floor(random() * (valid.length - 2)));
      while (validateYjsUpdate(cut).ok) cut = valid.subarray(0, 1 + Math.floor(random() * (valid.length - 2)));
      return frame((e) => (encoding.writeVarUint(e, 0), encoding.writeVarUint(e, 2), encoding.writeVarUint8Array(e, cut)));
    },
    () => {
      // a real update with one byte flipped (a flip that still parses, e.g. in the text or a client
      // id, is a legitimate write and so not garbage: flip again until it is malformed)
      let flipped = valid.slice();
      do {
        flipped = valid.slice();
        flipped[Math.floor(random() * flipped.length)] ^= 1 + Math.floor(random() * 255);
      } while (validateYjsUpdate(flipped, { allowedRootTypes: ['content'] }).ok);
      return frame((e) => (encoding.writeVarUint(e, 0), encoding.writeVarUint(e, 1), encoding.writeVarUint8Array(e, flipped)));
    },
    () => frame((e) => (encoding.writeVarUint(e, 0), encoding.writeVarUint(e, 0), encoding.writeVarUint8Array(e, bytes(9)))), // noise as a state vector
    () => frame((e) => (encoding.writeVarUint(e, 1), encoding.writeVarUint8Array(e, bytes(12)))), // noise as awareness
    () => frame((e) => (encoding.writeVarUint(e, 3), encoding.writeVarUint(e, 5))), // trailing bytes
    () => Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]), // overlong varint
  ];
  return Array.from({ length: count }, () => makers[Math.floor(random() * makers.length)]());
}

describe('malformed frames from an authenticated read-write client', () => {
  const harness = useCollabHarness();

  it('survives thousands of garbage frames: nothing appended, others keep editing', async () => {
    const server = await harness.startServer({ maxMalformedFrames: Number.MAX_SAFE_INTEGER, maxUpdateBytes: 16 * 1024 });
    const writer = harness.connect(server, 'p-fuzz', users.drafter1);
    const reader = harness.connect(server, 'p-fuzz', users.drafter1);
    await Promise.all([writer.synced, reader.synced]);
    const { socket } = await harness.rawSocket(server, `/collab/p-fuzz?token=${users.drafter2.token}`);

    const frames = garbageFrames(5_000, 20260501);
    for (let index = 0; index < frames.length; index++) {
      socket.send(frames[index]);
      if (index % 500 === 0) {
        appendParagraph(writer.content, `still editing ${index}`);
        await sleep(5);
      }
    }
    await eventually(() => textOf(reader.content).includes('still editing 4500'), 10_000);
    // The socket survived its own garbage (the limit is off) and the server still answers it.
    expect(socket.readyState).toBe(WebSocket.OPEN);

    // A frame over the update limit is refused (too-large) and closes that socket (4413), nothing else.
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
    socket.send(new Uint8Array(64 * 1024));
    expect(await closed).toBe(4413);

    appendParagraph(writer.content, 'after the flood');
    await eventually(() => textOf(reader.content).includes('after the flood'));
    const events = await contentEvents(server.store, 'p-fuzz');
    expect(events.length).toBe(11);
    expect(events.every((event) => event.metadata.userId === users.drafter1.userId)).toBe(true);
    const late = harness.connect(server, 'p-fuzz', users.drafter2);
    await late.synced;
    expect(textOf(late.content)).toBe(textOf(writer.content));
  });

  it('closes a connection with 1003 after repeated abuse (default limit)', async () => {
    const server = await harness.startServer();
    const { socket } = await harness.rawSocket(server, `/collab/p-abuse?token=${users.drafter2.token}`);
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
    for (const garbage of garbageFrames(500, 7)) if (socket.readyState === WebSocket.OPEN) socket.send(garbage);
    expect(await closed).toBe(1003);
    expect(await contentEvents(server.store, 'p-abuse')).toHaveLength(0);
    const honest = harness.connect(server, 'p-abuse', users.drafter1);
    await honest.synced;
    appendParagraph(honest.content, 'fine');
    await eventually(async () => (await contentEvents(server.store, 'p-abuse')).length === 1);
  });

  it('rejects an update that writes a root type other than content', async () => {
    const server = await harness.startServer();
    const { socket } = await harness.rawSocket(server, `/collab/p-roots?token=${users.drafter1.token}`);
    const doc = new Y.Doc();
    doc.getMap('settings').set('owner', 'me');
    socket.send(frame((e) => (encoding.writeVarUint(e, 0), encoding.writeVarUint(e, 2), encoding.writeVarUint8Array(e, Y.encodeStateAsUpdate(doc)))));
    doc.destroy();
    await sleep(150);
    expect(await contentEvents(server.store, 'p-roots')).toHaveLength(0);
  });
});
