import type { Socket } from 'node:net';
import * as encoding from 'lib0/encoding';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import {
  appendParagraph,
  contentEvents,
  eventually,
  sleep,
  textOf,
  UpgradeRefusedInTest,
  useCollabHarness,
  users,
} from '../testing/collab-harness';

jest.setTimeout(30_000);

function awarenessFrame(clientId: number, clock: number, state: unknown, ...more: [number, number, unknown][]): Uint8Array {
  const entries: [number, number, unknown][] = [[clientId, clock, state], ...more];
  const inner = encoding.createEncoder();
  encoding.writeVarUint(inner, entries.length);
  for (const [id, entryClock, entryState] of entries) {
    encoding.writeVarUint(inner, id);
    encoding.writeVarUint(inner, entryClock);
    encoding.writeVarString(inner, JSON.stringify(entryState));
  }
  const outer = encoding.createEncoder();
  encoding.writeVarUint(outer, 1); // messageAwareness
  encoding.writeVarUint8Array(outer, encoding.toUint8Array(inner));
  return encoding.toUint8Array(outer);
}

describe('connection safety', () => {
  const harness = useCollabHarness();

  it('shows nobody an edit before the store has it', async () => {
    const server = await harness.startServer();
    const writer = harness.connect(server, 'p-order', users.drafter1);
    const watcher = harness.connect(server, 'p-order', users.drafter2);
    await Promise.all([writer.synced, watcher.synced]);
    const append = server.store.append.bind(server.store);
    let appended = false;
    jest.spyOn(server.store, 'append').mockImplementation(async (stream, events, options) => {
      await sleep(300);
      const result = await append(stream, events, options);
      appended = true;
      return result;
    });

    appendParagraph(writer.content, 'slow to store');
    await sleep(150);
    expect(textOf(watcher.content)).toBe('');
    await eventually(() => textOf(watcher.content) === 'slow to store');
    expect(appended).toBe(true);
  });

  it('when the store refuses an edit: nobody sees it, the writer resyncs, and it is recorded after all', async () => {
    const server = await harness.startServer();
    const writer = harness.connect(server, 'p-fail', users.drafter1);
    const watcher = harness.connect(server, 'p-fail', users.drafter2);
    await Promise.all([writer.synced, watcher.synced]);
    const closes: number[] = [];
    writer.provider.on('connection-close', (event: CloseEvent | null) => event && closes.push(event.code));
    jest.spyOn(server.store, 'append').mockRejectedValueOnce(new Error('disk full'));

    appendParagraph(writer.content, 'survives a store failure');
    await eventually(() => closes.includes(1011), 5_000, 'writer told to resync');
    await eventually(() => textOf(watcher.content) === 'survives a store failure', 5_000, 'edit recorded after resync');
    const events = await contentEvents(server.store, 'p-fail');
    expect(events.map((event) => event.metadata.userId)).toEqual([users.drafter1.userId]);
  });

  it("drops awareness that claims another user's client id", async () => {
    const server = await harness.startServer();
    const drafter = harness.connect(server, 'p-spoof', users.drafter1);
    const observer = harness.connect(server, 'p-spoof', users.chair);
    await Promise.all([drafter.synced, observer.synced]);
    drafter.provider.awareness.setLocalStateField('user', { name: 'Drafter One' });
    await eventually(() => observer.provider.awareness.getStates().has(drafter.doc.clientID));

    const { socket } = await harness.rawSocket(server, `/collab/p-spoof?token=${users.drafter2.token}`);
    socket.send(awarenessFrame(drafter.doc.clientID, 10_000, { user: { name: 'Impostor' } }));
    socket.send(awarenessFrame(drafter.doc.clientID, 10_001, null));
    await sleep(200);
    const state = observer.provider.awareness.getStates().get(drafter.doc.clientID) as { user: { name: string } };
    expect(state.user.name).toBe('Drafter One');
    expect(server.logs.some((line) => line.message === 'awareness update dropped' && line.fields['userId'] === users.drafter2.userId)).toBe(true);
  });

  it('applies the sender’s own entry of a frame that also echoes another client’s known state, quietly', async () => {
    const server = await harness.startServer();
    const drafter = harness.connect(server, 'p-echo', users.drafter1);
    const observer = harness.connect(server, 'p-echo', users.chair);
    await Promise.all([drafter.synced, observer.synced]);
    drafter.provider.awareness.setLocalStateField('user', { name: 'Drafter One' });
    await eventually(() => observer.provider.awareness.getStates().has(drafter.doc.clientID));
    const echoedClock = drafter.provider.awareness.meta.get(drafter.doc.clientID)?.clock ?? 0;

    const { socket } = await harness.rawSocket(server, `/collab/p-echo?token=${users.drafter2.token}`);
    // As the stock client does: its own new state, plus the echo of a state it heard from drafter1.
    socket.send(awarenessFrame(424242, 1, { user: { name: 'Drafter Two' } }, [drafter.doc.clientID, echoedClock, { user: { name: 'Drafter One' } }]));
    await eventually(() => (observer.provider.awareness.getStates().get(424242) as { user?: { name: string } } | undefined)?.user?.name === 'Drafter Two');
    expect((observer.provider.awareness.getStates().get(drafter.doc.clientID) as { user: { name: string } }).user.name).toBe('Drafter One');
    expect(server.logs.some((line) => line.message === 'awareness update dropped')).toBe(false);
  });

  it('closes a client that does not read with 1013 once its buffer passes the limit', async () => {
    // 12 MB of text: above the default document cap, which this test is not about.
    const server = await harness.startServer({ maxBufferedBytes: 256 * 1024, maxDocumentBytes: 64 * 1024 * 1024 });
    const { socket } = await harness.rawSocket(server, `/collab/p-slow?token=${users.chair.token}`);
    const tcp = (socket as unknown as { _socket: Socket })._socket;
    tcp.pause();
    const writer = harness.connect(server, 'p-slow', users.drafter1);
    await writer.synced;
    const chunk = 'x'.repeat(200 * 1024);
    for (let index = 0; index < 60; index++) appendParagraph(writer.content, chunk);
    await eventually(() => server.logs.some((line) => line.message === 'collab client too slow; closing so it resyncs'), 10_000);
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
    tcp.resume();
    expect(await closed).toBe(1013);
    // The writer was not affected.
    expect(writer.provider.wsconnected).toBe(true);
  });

  it('terminates a socket that stops answering pings', async () => {
    const server = await harness.startServer({ pingIntervalMs: 50 });
    const socket = new WebSocket(`ws://127.0.0.1:${server.port}/collab/p-dead?token=${users.drafter1.token}`, { autoPong: false });
    harness.defer(() => socket.terminate());
    socket.on('error', () => undefined);
    await new Promise((resolve) => socket.once('open', resolve));
    await eventually(() => server.collab.documents.connectionCount('p-dead') === 1);
    const closed = await new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
    expect(closed).toBe(1006);
    await eventually(() => server.collab.documents.connectionCount('p-dead') === 0);
  });

  it('refuses with 503 when authentication does not answer in time', async () => {
    const server = await harness.startServer({
      handshakeTimeoutMs: 100,
      authenticate: () => new Promise(() => undefined),
    });
    const refused = await harness.rawSocket(server, `/collab/p-slow-auth?token=${users.drafter1.token}`).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(UpgradeRefusedInTest);
    expect((refused as UpgradeRefusedInTest).status).toBe(503);
  });
});

describe('Yjs client ids belong to the user who first wrote with them', () => {
  const harness = useCollabHarness();

  it("refuses structs written under another user's client id", async () => {
    const server = await harness.startServer();
    const victim = harness.connect(server, 'p-hijack', users.drafter1);
    await victim.synced;
    appendParagraph(victim.content, 'mine');
    await eventually(() => server.collab.documents.contentRevision('p-hijack') === 1);

    // drafter2 forges the next structs of drafter1's client.
    const forger = new Y.Doc();
    harness.defer(() => forger.destroy());
    Y.applyUpdate(forger, Y.encodeStateAsUpdate(victim.doc));
    forger.clientID = victim.doc.clientID;
    const before = Y.encodeStateVector(forger);
    appendParagraph(forger.getXmlFragment('content'), 'forged');
    const forged = Y.encodeStateAsUpdate(forger, before);
    const { socket } = await harness.rawSocket(server, `/collab/p-hijack?token=${users.drafter2.token}`);
    socket.send(updateFrame(forged));
    await sleep(200);
    expect(server.collab.documents.contentRevision('p-hijack')).toBe(1);

    // The real owner keeps writing with its clocks.
    appendParagraph(victim.content, 'still mine');
    await eventually(() => server.collab.documents.contentRevision('p-hijack') === 2);
    const reader = harness.connect(server, 'p-hijack', users.chair);
    await reader.synced;
    expect(textOf(reader.content)).toBe('mine\nstill mine');
  });
});

function updateFrame(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 0);
  encoding.writeVarUint(encoder, 2);
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}
