/**
 * Refusals are told, limits end cleanly, edits are acknowledged once recorded, and access follows
 * the log on open sockets: real HTTP server, real SQLite, the stock y-websocket client.
 */
import { randomUUID } from 'node:crypto';
import { parseUpdateV1 } from '@concord/content';
import * as decoding from 'lib0/decoding';
import type { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import {
  appendParagraph,
  contentEvents,
  eventually,
  sleep,
  snapshotEvents,
  testAuthorize,
  textOf,
  useCollabHarness,
  users,
} from '../testing/collab-harness';
import type { AccessMarker } from './access-fence';
import { CONTENT_ACCESS_CHANGED, CONTENT_UPDATED } from './persistence/content-events';
import { appendAccessMarker } from './persistence/content-writer';
import type { Authorization } from './server/collab-server';

/** What the stock client hears besides the document: permission-denied reasons, SyncStep1s, closes. */
function watch(provider: WebsocketProvider) {
  const refusals: string[] = [];
  const closes: number[] = [];
  let syncStep1s = 0;
  let connecting = 0;
  let closedEvent: { code: number; reason: string } | null = null;
  const handlers = provider.messageHandlers;
  handlers[2] = (_encoder, decoder) => {
    if (decoding.readVarUint(decoder) === 0) refusals.push(decoding.readVarString(decoder));
  };
  const sync = handlers[0];
  handlers[0] = (encoder, decoder, ...rest) => {
    if (decoder.arr[decoder.pos] === 0) syncStep1s += 1;
    sync(encoder, decoder, ...rest);
  };
  provider.on('connection-close', (event) => {
    if (event) closes.push(event.code);
  });
  provider.on('status', ({ status }) => {
    if (status === 'connecting') connecting += 1;
  });
  provider.on('closed', (event) => {
    closedEvent = event;
  });
  return {
    refusals,
    closes,
    get syncStep1s() {
      return syncStep1s;
    },
    get connecting() {
      return connecting;
    },
    get closed() {
      return closedEvent;
    },
  };
}

function paragraphOf(bytes: number): Y.XmlElement {
  const paragraph = new Y.XmlElement('paragraph');
  paragraph.insert(0, [new Y.XmlText('x'.repeat(bytes))]);
  return paragraph;
}

async function updatesBy(store: Parameters<typeof contentEvents>[0], proposalId: string, userId: string) {
  return (await contentEvents(store, proposalId)).filter((event) => event.type === CONTENT_UPDATED && event.metadata.userId === userId);
}

describe('refusals, limits and recorded acknowledgements', () => {
  const harness = useCollabHarness();

  it('refuses a 2 MB update with too-large and 4413; the stock client stops; a fresh provider records later edits', async () => {
    const server = await harness.startServer();
    const writer = harness.connect(server, 'p-large', users.drafter1);
    const heard = watch(writer.provider);
    await writer.synced;
    writer.content.insert(0, [paragraphOf(2 * 1024 * 1024)]);
    await eventually(() => heard.closed !== null, 5_000);
    expect(heard.closes).toEqual([4413]);
    expect(heard.refusals).toEqual([expect.stringMatching(/^too-large: /)]);
    expect(heard.closed).toMatchObject({ code: 4413 });
    const connectingAfterClose = heard.connecting;
    await sleep(2_000);
    expect(heard.connecting).toBe(connectingAfterClose);
    expect(writer.provider.wsconnected).toBe(false);
    expect(await updatesBy(server.store, 'p-large', users.drafter1.userId)).toHaveLength(0);

    // The same user, a new provider and document: what they type now is recorded.
    const again = harness.connect(server, 'p-large', users.drafter1);
    await again.synced;
    appendParagraph(again.content, 'after the refusal');
    await eventually(async () => (await updatesBy(server.store, 'p-large', users.drafter1.userId)).length === 1);
    // 600 kB is under the 1 MiB limit and goes through.
    again.content.insert(0, [paragraphOf(600 * 1024)]);
    await eventually(async () => (await updatesBy(server.store, 'p-large', users.drafter1.userId)).length === 2, 5_000);
    expect(again.provider.wsconnected).toBe(true);
  });

  it('refuses an edit that would grow the document over its size cap with too-large', async () => {
    const server = await harness.startServer({ maxDocumentBytes: 64 * 1024 });
    const writer = harness.connect(server, 'p-cap', users.drafter1);
    const heard = watch(writer.provider);
    await writer.synced;
    writer.content.insert(0, [paragraphOf(40 * 1024)]);
    await eventually(async () => (await updatesBy(server.store, 'p-cap', users.drafter1.userId)).length === 1);
    writer.content.insert(0, [paragraphOf(40 * 1024)]);
    await eventually(() => heard.closed !== null, 5_000);
    expect(heard.refusals).toEqual([expect.stringMatching(/^too-large: The document would exceed 65536 bytes/)]);
    expect(heard.closes).toEqual([4413]);
    expect(await updatesBy(server.store, 'p-cap', users.drafter1.userId)).toHaveLength(1);
  });

  it('tells a reader that writes read-only, once per second at most, and records nothing', async () => {
    const server = await harness.startServer();
    const writer = harness.connect(server, 'p-reader', users.drafter1);
    const reader = harness.connect(server, 'p-reader', users.chair);
    const heard = watch(reader.provider);
    await Promise.all([writer.synced, reader.synced]);
    for (let index = 0; index < 20; index++) appendParagraph(reader.content, `chair ${index}`);
    await eventually(() => heard.refusals.length >= 1);
    await sleep(300);
    expect(heard.refusals).toEqual(['read-only: You may read this proposal but not change it.']);
    expect(reader.provider.wsconnected).toBe(true);
    expect(await contentEvents(server.store, 'p-reader')).toHaveLength(0);
    // It keeps receiving live updates.
    appendParagraph(writer.content, 'from the drafter');
    await eventually(() => textOf(reader.content).includes('from the drafter'));
  });

  it('acknowledges recorded edits with a SyncStep1 and never records the client’s replies or resends twice', async () => {
    const server = await harness.startServer();
    const writer = harness.connect(server, 'p-ack', users.drafter1);
    const other = harness.connect(server, 'p-ack', users.drafter2);
    const heard = watch(writer.provider);
    await Promise.all([writer.synced, other.synced]);
    const initialStep1s = heard.syncStep1s;
    const paragraph = new Y.XmlElement('paragraph');
    const text = new Y.XmlText();
    writer.doc.transact(() => {
      paragraph.insert(0, [text]);
      writer.content.insert(0, [paragraph]);
    });
    const edits = 40;
    for (let index = 0; index < edits; index++) {
      text.insert(text.length, `${index} `);
      if (index % 5 === 0) await sleep(15);
    }
    const recorded = () => updatesBy(server.store, 'p-ack', users.drafter1.userId);
    await eventually(() => textOf(other.content).includes(`${edits - 1} `));
    // Recorded: the server's state vector covers the client's own clock.
    await eventually(() => heard.syncStep1s > initialStep1s);
    const ownClock = Y.getState(writer.doc.store, writer.doc.clientID);
    // Resend everything the client ever wrote (as a reconnect's SyncStep2 would): nothing new.
    writer.provider.ws?.send(syncStep2Frame(Y.encodeStateAsUpdate(writer.doc)));
    writer.provider.ws?.send(syncUpdateFrame(Y.encodeStateAsUpdate(writer.doc)));
    await sleep(500);
    const events = await recorded();
    // Every event carries new structs: their clock ranges never overlap, and together they cover the client's clock.
    const covered = events.reduce((sum, event) => sum + structLength(event.data as Uint8Array, writer.doc.clientID), 0);
    expect(covered).toBe(ownClock);
    expect(events.length).toBeLessThanOrEqual(edits + 1);
    expect(textOf(other.content)).toBe(textOf(writer.content));
    // The acknowledgements were few (one per recorded batch at most), not one per reply.
    expect(heard.syncStep1s - initialStep1s).toBeLessThanOrEqual(events.length);
  });
});

describe('access follows the log on open sockets', () => {
  const harness = useCollabHarness();

  it('records nothing after a fence marker while a writer types continuously, and tells the writer read-only', async () => {
    const server = await harness.startServer();
    const writer = harness.connect(server, 'p-lock', users.drafter1);
    const heard = watch(writer.provider);
    await writer.synced;
    const paragraph = new Y.XmlElement('paragraph');
    const text = new Y.XmlText();
    writer.doc.transact(() => {
      paragraph.insert(0, [text]);
      writer.content.insert(0, [paragraph]);
    });
    let typing = true;
    let typed = 0;
    const typist = (async () => {
      while (typing) {
        text.insert(text.length, 'a');
        typed += 1;
        await sleep(5);
      }
    })();
    await eventually(async () => (await updatesBy(server.store, 'p-lock', users.drafter1.userId)).length >= 20, 10_000);
    const marker: AccessMarker = { writes: 'closed', fenceId: randomUUID(), reason: 'The submission has been submitted and is locked.', cause: 'SubmissionLocked' };
    const fenced = await appendAccessMarker(server.store, 'p-lock', marker, { userId: 'user-chair' });
    // The domain event comes after its marker.
    const locked = await server.store.append('submission-s1', [{ id: randomUUID(), type: 'SubmissionLocked', data: { submissionId: 's1' }, metadata: { userId: 'user-chair' } }]);
    await eventually(() => heard.refusals.length > 0, 2_000);
    expect(heard.refusals[0]).toBe('read-only: The submission has been submitted and is locked.');
    const typedAtRefusal = typed;
    await eventually(() => typed > typedAtRefusal + 50, 5_000);
    typing = false;
    await typist;
    await sleep(300);
    const events = await updatesBy(server.store, 'p-lock', users.drafter1.userId);
    expect(events.length).toBeGreaterThanOrEqual(20);
    for (const event of events) expect(event.position).toBeLessThan(fenced.position);
    expect(fenced.position).toBeLessThan(locked.position);
    expect(writer.provider.wsconnected).toBe(true);
    // Refusals of the continued typing are rate-limited.
    expect(heard.refusals.length).toBeLessThanOrEqual(4);
  });

  it('holds a fence across a reload, also when a snapshot was written after it', async () => {
    const store = harness.newStore();
    const first = await harness.startServer({ store, checkpointEvery: 3 });
    await appendAccessMarker(store, 'p-reload', { writes: 'closed', fenceId: 'f1', userId: users.drafter1.userId, reason: 'Your drafter role was removed.', cause: 'MemberRemoved' }, { userId: 'admin' });
    const other = harness.connect(first, 'p-reload', users.drafter2);
    await other.synced;
    for (let index = 0; index < 7; index++) appendParagraph(other.content, `line ${index}`);
    await eventually(async () => (await snapshotEvents(store, 'p-reload')).length >= 2, 5_000);
    await first.collab.close();

    const second = await harness.startServer({ store });
    const writer = harness.connect(second, 'p-reload', users.drafter1);
    const heard = watch(writer.provider);
    await writer.synced;
    await eventually(() => heard.refusals.length > 0);
    expect(heard.refusals[0]).toBe('read-only: Your drafter role was removed.');
    appendParagraph(writer.content, 'not recorded');
    await sleep(500);
    expect(await updatesBy(store, 'p-reload', users.drafter1.userId)).toHaveLength(0);

    // A reopening marker for that user lifts it on a live document too.
    await appendAccessMarker(store, 'p-reload', { writes: 'open', userId: users.drafter1.userId, reason: 'Drafter again.', cause: 'MemberAdded' }, { userId: 'admin' });
    const fresh = harness.connect(second, 'p-reload', users.drafter1);
    await fresh.synced;
    await sleep(200);
    appendParagraph(fresh.content, 'recorded again');
    await eventually(async () => (await updatesBy(store, 'p-reload', users.drafter1.userId)).length === 1);
    expect(await contentEvents(store, 'p-reload')).toEqual(expect.arrayContaining([expect.objectContaining({ type: CONTENT_ACCESS_CHANGED })]));
  });

  it('re-decides open connections: downgrade, upgrade (4500), forbidden (4403), session ended (4401), fail closed', async () => {
    const decisions = new Map<string, Authorization>();
    const server = await harness.startServer({
      authorize: async (user, proposalId) => decisions.get(user.userId) ?? testAuthorize(user, proposalId),
    });
    const drafter1 = harness.connect(server, 'p-re', users.drafter1);
    const drafter2 = harness.connect(server, 'p-re', users.drafter2);
    const chair = harness.connect(server, 'p-re', users.chair);
    const heard1 = watch(drafter1.provider);
    const heard2 = watch(drafter2.provider);
    const heardChair = watch(chair.provider);
    await Promise.all([drafter1.synced, drafter2.synced, chair.synced]);

    decisions.set(users.drafter1.userId, 'read-only');
    decisions.set(users.drafter2.userId, 'forbidden');
    decisions.set(users.chair.userId, 'read-write');
    const outcome = await server.collab.reauthorize({ proposalIds: ['p-re'] }, { reason: 'Your drafter role was removed.' });
    expect(outcome).toEqual({ decided: 3, downgraded: 1, closed: 1, upgraded: 1 });
    await eventually(() => heard1.refusals.length === 1 && heard2.closed !== null && heardChair.closes.length === 1);
    expect(heard1.refusals).toEqual(['read-only: Your drafter role was removed.']);
    expect(heard2.refusals).toEqual(['forbidden: Your drafter role was removed.']);
    expect(heard2.closed).toMatchObject({ code: 4403 });
    // 4500: the stock client reconnects by itself and now writes.
    expect(heardChair.closes).toEqual([4500]);
    await eventually(() => chair.provider.synced && chair.provider.wsconnected);
    appendParagraph(chair.content, 'the chair may write now');
    await eventually(async () => (await updatesBy(server.store, 'p-re', users.chair.userId)).length === 1);
    appendParagraph(drafter1.content, 'refused');
    await sleep(300);
    expect(await updatesBy(server.store, 'p-re', users.drafter1.userId)).toHaveLength(0);

    // Fail closed: without asking, every writer becomes a reader.
    expect(await server.collab.reauthorize({ userIds: [users.chair.userId] }, { failClosed: true, reason: 'Access is being re-checked.' })).toMatchObject({ downgraded: 1 });
    decisions.set(users.drafter1.userId, 'session-ended');
    await server.collab.reauthorize({ userIds: [users.drafter1.userId] });
    await eventually(() => heard1.closed !== null);
    expect(heard1.closed).toMatchObject({ code: 4401 });
    expect(heard1.refusals[1]).toMatch(/^session-ended: /);
  });

  it('closes a connection with 4401 when its token expires', async () => {
    const server = await harness.startServer({
      authenticate: async (token) =>
        token === users.drafter1.token ? { userId: users.drafter1.userId, name: users.drafter1.name, expiresAt: Date.now() + 600 } : null,
    });
    const writer = harness.connect(server, 'p-expiry', users.drafter1);
    const heard = watch(writer.provider);
    await writer.synced;
    await eventually(() => heard.closed !== null, 3_000);
    expect(heard.closed).toMatchObject({ code: 4401 });
    expect(heard.refusals).toEqual([expect.stringMatching(/^session-ended: /)]);
  });
});

function syncFrame(type: number, update: Uint8Array): Uint8Array {
  const frame = new Uint8Array(update.length + 16);
  let offset = 0;
  const writeVarUint = (value: number) => {
    while (value > 0x7f) {
      frame[offset++] = (value & 0x7f) | 0x80;
      value = Math.floor(value / 128);
    }
    frame[offset++] = value;
  };
  writeVarUint(0);
  writeVarUint(type);
  writeVarUint(update.length);
  frame.set(update, offset);
  return frame.slice(0, offset + update.length);
}

const syncStep2Frame = (update: Uint8Array) => syncFrame(1, update);
const syncUpdateFrame = (update: Uint8Array) => syncFrame(2, update);

/** How many clock units of `client` an update carries. */
function structLength(update: Uint8Array, client: number): number {
  return parseUpdateV1(update)
    .structs.filter((struct) => struct.kind !== 'skip' && struct.client === client)
    .reduce((sum, struct) => sum + struct.length, 0);
}
