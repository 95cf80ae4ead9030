import { parseUpdateV1 } from '@concord/content';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import {
  appendParagraph,
  contentEvents,
  eventually,
  sleep,
  textOf,
  useCollabHarness,
  users,
} from '../testing/collab-harness';
import { CONTENT_UPDATED } from './persistence/content-events';

jest.setTimeout(20_000);

function updateFrame(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 0); // messageSync
  encoding.writeVarUint(encoder, 2); // messageYjsUpdate
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}

describe('co-editing through the collab server', () => {
  const harness = useCollabHarness();

  it('lets two drafters co-edit the content fragment, each seeing the other', async () => {
    const server = await harness.startServer();
    const one = harness.connect(server, 'p-coedit', users.drafter1);
    const two = harness.connect(server, 'p-coedit', users.drafter2);
    await Promise.all([one.synced, two.synced]);

    appendParagraph(one.content, 'Labour migration governance');
    await eventually(() => textOf(two.content).includes('Labour migration governance'));
    appendParagraph(two.content, 'Skills partnerships');
    await eventually(() => textOf(one.content).includes('Skills partnerships'));

    expect(textOf(one.content)).toBe('Labour migration governance\nSkills partnerships');
    expect(textOf(two.content)).toBe(textOf(one.content));
  });

  it('records every update as ContentUpdated attributed to the user whose client wrote it', async () => {
    const server = await harness.startServer();
    const one = harness.connect(server, 'p-attrib', users.drafter1);
    const two = harness.connect(server, 'p-attrib', users.drafter2);
    await Promise.all([one.synced, two.synced]);

    for (let index = 0; index < 5; index++) {
      appendParagraph(one.content, `one-${index}`);
      appendParagraph(two.content, `two-${index}`);
    }
    await eventually(() => textOf(one.content).split('\n').length === 10 && textOf(two.content) === textOf(one.content));
    await eventually(async () => (await contentEvents(server.store, 'p-attrib')).length >= 10);

    const events = await contentEvents(server.store, 'p-attrib');
    const updates = events.filter((event) => event.type === CONTENT_UPDATED);
    expect(updates.map((event) => event.metadata['revision'])).toEqual(updates.map((_, index) => index + 1));
    const authorOfClient = new Map([
      [one.doc.clientID, users.drafter1.userId],
      [two.doc.clientID, users.drafter2.userId],
    ]);
    for (const event of updates) {
      const structs = parseUpdateV1(event.data as Uint8Array).structs;
      for (const struct of structs) expect(authorOfClient.get(struct.client)).toBe(event.metadata.userId);
      expect(event.metadata['clientId']).toBe(structs[0].client);
      expect(event.metadata['kind']).toBe('edit');
    }
    expect(new Set(updates.map((event) => event.metadata.userId))).toEqual(
      new Set([users.drafter1.userId, users.drafter2.userId]),
    );
    // Replaying the log gives exactly what the clients show.
    const replay = new Y.Doc();
    for (const event of updates) Y.applyUpdate(replay, event.data as Uint8Array);
    expect(textOf(replay.getXmlFragment('content'))).toBe(textOf(one.content));
    replay.destroy();
  });

  it('appends nothing for an update that changes nothing', async () => {
    const server = await harness.startServer();
    const one = harness.connect(server, 'p-noop', users.drafter1);
    await one.synced;
    appendParagraph(one.content, 'once');
    await eventually(async () => (await contentEvents(server.store, 'p-noop')).length === 1);

    const { socket } = await harness.rawSocket(server, `/collab/p-noop?token=${users.drafter2.token}`);
    const everything = Y.encodeStateAsUpdate(one.doc);
    socket.send(updateFrame(everything));
    socket.send(updateFrame(new Uint8Array([0, 0]))); // the empty update
    // Reconnect-style SyncStep2 from a second client that already has everything.
    const two = harness.connect(server, 'p-noop', users.drafter2);
    await two.synced;
    expect(await server.collab.content.appendUpdate('p-noop', everything, { userId: 'system', kind: 'seed' })).toBe(1);
    await sleep(200);

    expect(await contentEvents(server.store, 'p-noop')).toHaveLength(1);
    expect(textOf(two.content)).toBe('once');
  });

  it('gives a read-only chair the document and live updates, and drops what it writes', async () => {
    const server = await harness.startServer();
    const drafter = harness.connect(server, 'p-readonly', users.drafter1);
    await drafter.synced;
    appendParagraph(drafter.content, 'before the chair came');
    await eventually(async () => (await contentEvents(server.store, 'p-readonly')).length === 1);

    const chair = harness.connect(server, 'p-readonly', users.chair);
    await chair.synced;
    expect(textOf(chair.content)).toBe('before the chair came');

    appendParagraph(drafter.content, 'live while the chair reads');
    await eventually(() => textOf(chair.content).includes('live while the chair reads'));

    chair.provider.awareness.setLocalStateField('user', { name: 'Chair' });
    appendParagraph(chair.content, 'the chair tries to write');
    await eventually(() => drafter.provider.awareness.getStates().has(chair.doc.clientID), 5_000, 'chair presence relayed');
    await sleep(200);

    const events = await contentEvents(server.store, 'p-readonly');
    expect(events).toHaveLength(2);
    expect(events.every((event) => event.metadata.userId === users.drafter1.userId)).toBe(true);
    expect(textOf(drafter.content)).not.toContain('the chair tries to write');
    expect(
      server.logs.some((line) => line.level === 'warn' && line.fields['userId'] === users.chair.userId && line.fields['proposalId'] === 'p-readonly'),
    ).toBe(true);
    // The chair keeps receiving live updates after its refused write.
    appendParagraph(drafter.content, 'after the refusal');
    await eventually(() => textOf(chair.content).includes('after the refusal'));
  });
});

describe('group commit', () => {
  const harness = useCollabHarness();

  it('records a burst with few appends, still one attributed event per update, in order', async () => {
    const server = await harness.startServer();
    const writer = harness.connect(server, 'p-burst', users.drafter1);
    const watcher = harness.connect(server, 'p-burst', users.drafter2);
    await Promise.all([writer.synced, watcher.synced]);
    const append = server.store.append.bind(server.store);
    const batchSizes: number[] = [];
    jest.spyOn(server.store, 'append').mockImplementation(async (stream, events, options) => {
      batchSizes.push(events.length);
      await sleep(50);
      return append(stream, events, options);
    });

    for (let index = 0; index < 60; index++) appendParagraph(writer.content, `line ${index}`);
    await eventually(() => textOf(watcher.content).split('\n').length === 60);

    const updates = (await contentEvents(server.store, 'p-burst')).filter((event) => event.type === CONTENT_UPDATED);
    expect(updates).toHaveLength(60);
    expect(updates.map((event) => event.metadata['revision'])).toEqual(updates.map((_, index) => index + 1));
    expect(batchSizes.length).toBeLessThan(10);
    expect(batchSizes.reduce((sum, size) => sum + size, 0)).toBe(60);
    expect(textOf(watcher.content)).toBe(textOf(writer.content));
  });

  it('treats a duplicate within one burst as a no-op', async () => {
    const server = await harness.startServer();
    const source = new Y.Doc();
    harness.defer(() => source.destroy());
    appendParagraph(source.getXmlFragment('content'), 'sent twice');
    const update = Y.encodeStateAsUpdate(source);
    const append = server.store.append.bind(server.store);
    jest.spyOn(server.store, 'append').mockImplementation(async (stream, events, options) => {
      await sleep(50);
      return append(stream, events, options);
    });
    const { socket } = await harness.rawSocket(server, `/collab/p-dup?token=${users.drafter1.token}`);
    // The first goes alone; the next three wait together behind it.
    for (let index = 0; index < 4; index++) socket.send(updateFrame(update));
    const other = new Y.Doc();
    harness.defer(() => other.destroy());
    Y.applyUpdate(other, update);
    appendParagraph(other.getXmlFragment('content'), 'then more');
    socket.send(updateFrame(Y.encodeStateAsUpdate(other, Y.encodeStateVectorFromUpdate(update))));
    socket.send(updateFrame(Y.encodeStateAsUpdate(other)));
    await eventually(() => server.collab.documents.contentRevision('p-dup') === 2);
    await sleep(200);
    expect(await contentEvents(server.store, 'p-dup')).toHaveLength(2);
  });
});
