import { authorColor } from '@concord/contracts';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { WebSocket } from 'ws';
import { appendParagraph, eventually, sleep, textOf, useCollabHarness, users } from '../testing/collab-harness';

jest.setTimeout(30_000);

function awarenessFrame(clientId: number, clock: number, state: unknown): Uint8Array {
  const inner = encoding.createEncoder();
  encoding.writeVarUint(inner, 1);
  encoding.writeVarUint(inner, clientId);
  encoding.writeVarUint(inner, clock);
  encoding.writeVarString(inner, JSON.stringify(state));
  const outer = encoding.createEncoder();
  encoding.writeVarUint(outer, 1); // messageAwareness
  encoding.writeVarUint8Array(outer, encoding.toUint8Array(inner));
  return encoding.toUint8Array(outer);
}

/** The permission-denied reasons among the frames a raw socket received. */
function refusalsIn(messages: readonly Uint8Array[]): string[] {
  return messages.flatMap((message) => {
    const decoder = decoding.createDecoder(message);
    if (decoding.readVarUint(decoder) !== 2 || decoding.readVarUint(decoder) !== 0) return [];
    return [decoding.readVarString(decoder)];
  });
}

function closeOf(socket: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
}

type UserState = { user?: { name?: unknown; color?: unknown } } | undefined;

describe('awareness bounds', () => {
  const harness = useCollabHarness();

  it('shows others the signed-in name and the server colour, whatever the client claims', async () => {
    const server = await harness.startServer();
    const claimant = harness.connect(server, 'p-who', users.drafter1);
    const observer = harness.connect(server, 'p-who', users.chair);
    await Promise.all([claimant.synced, observer.synced]);

    claimant.provider.awareness.setLocalState({
      user: { name: 'The Chair', color: 'red;background:url(https://evil.example/x)' },
      cursor: null,
    });
    const seen = await eventually(
      () => observer.provider.awareness.getStates().get(claimant.doc.clientID) as UserState,
      5_000,
      'claimant presence relayed',
    );
    expect(seen?.user).toEqual({ name: users.drafter1.name, color: authorColor(users.drafter1.userId) });
    expect(seen?.user?.color).toMatch(/^#[0-9a-f]{6}$/);
    // Other fields of the state are relayed as sent.
    expect(seen).toHaveProperty('cursor', null);

    // A state without `user` gets one too: nobody is anonymous to the others.
    claimant.provider.awareness.setLocalState({ cursor: { anchor: 1 } });
    await eventually(() => {
      const state = observer.provider.awareness.getStates().get(claimant.doc.clientID) as { cursor?: { anchor: number } } & UserState;
      return state?.cursor?.anchor === 1 && state.user?.name === users.drafter1.name;
    });
  });

  it('refuses a 5 KiB state with too-large and closes 4413; nobody sees it and the others stay', async () => {
    const server = await harness.startServer();
    const writer = harness.connect(server, 'p-big', users.drafter1);
    const observer = harness.connect(server, 'p-big', users.drafter2);
    await Promise.all([writer.synced, observer.synced]);
    const { socket, messages } = await harness.rawSocket(server, `/collab/p-big?token=${users.chair.token}`);
    const closed = closeOf(socket);

    socket.send(awarenessFrame(777, 1, { user: { name: 'x' }, note: 'a'.repeat(5 * 1024) }));
    expect((await closed).code).toBe(4413);
    expect(refusalsIn(messages).some((reason) => /^too-large: .*\d+ bytes; the limit is 4096 bytes/.test(reason))).toBe(true);
    expect(observer.provider.awareness.getStates().has(777)).toBe(false);

    appendParagraph(writer.content, 'still editing');
    await eventually(() => textOf(observer.content) === 'still editing');
    expect(observer.provider.wsconnected).toBe(true);
  });

  it('accepts a state just under the limit', async () => {
    const server = await harness.startServer();
    const observer = harness.connect(server, 'p-fits', users.drafter2);
    await observer.synced;
    const { socket } = await harness.rawSocket(server, `/collab/p-fits?token=${users.chair.token}`);
    const state = { note: 'a'.repeat(4096 - '{"note":""}'.length) };
    expect(JSON.stringify(state).length).toBe(4096);
    socket.send(awarenessFrame(778, 1, state));
    await eventually(() => (observer.provider.awareness.getStates().get(778) as { note?: string } | undefined)?.note?.length === state.note.length);
  });

  it('closes a reader flooding awareness with 1008; a drafter watching keeps receiving edits and saw at most the relay rate', async () => {
    const server = await harness.startServer();
    const writer = harness.connect(server, 'p-flood', users.drafter1);
    const watcher = harness.connect(server, 'p-flood', users.drafter2);
    await Promise.all([writer.synced, watcher.synced]);
    let floodStatesSeen = 0;
    watcher.provider.awareness.on('change', ({ added, updated }: { added: number[]; updated: number[] }) => {
      if ([...added, ...updated].includes(999)) floodStatesSeen += 1;
    });
    const watcherCloses: number[] = [];
    watcher.provider.on('connection-close', (event: CloseEvent | null) => event && watcherCloses.push(event.code));

    const { socket } = await harness.rawSocket(server, `/collab/p-flood?token=${users.chair.token}`);
    const closed = closeOf(socket);
    const started = Date.now();
    for (let clock = 1; clock <= 2_000 && socket.readyState === WebSocket.OPEN; clock++) {
      socket.send(awarenessFrame(999, clock, { cursor: { anchor: clock } }));
    }
    const close = await closed;
    const elapsedSeconds = (Date.now() - started) / 1000;
    expect(close.code).toBe(1008);
    expect(close.reason).toMatch(/^awareness flood/);

    appendParagraph(writer.content, 'after the flood');
    await eventually(() => textOf(watcher.content) === 'after the flood', 5_000, 'watcher still receives edits');
    expect(watcherCloses).toEqual([]);
    expect(watcher.provider.wsconnected).toBe(true);
    // Relayed: the burst (40) plus 20/s for the time the flood lasted, plus the coalesced last one.
    expect(floodStatesSeen).toBeLessThanOrEqual(40 + Math.ceil(elapsedSeconds * 20) + 1);
    expect(server.logs.some((line) => line.message === 'awareness flood; closing the sender' && line.fields['userId'] === users.chair.userId)).toBe(true);
  });

  it('coalesces a burst over the relay rate: the newest state arrives and the sender stays connected', async () => {
    const server = await harness.startServer();
    const watcher = harness.connect(server, 'p-burst', users.drafter2);
    await watcher.synced;
    let statesSeen = 0;
    watcher.provider.awareness.on('change', ({ added, updated }: { added: number[]; updated: number[] }) => {
      if ([...added, ...updated].includes(555)) statesSeen += 1;
    });
    const { socket } = await harness.rawSocket(server, `/collab/p-burst?token=${users.drafter1.token}`);
    for (let clock = 1; clock <= 100; clock++) socket.send(awarenessFrame(555, clock, { cursor: { anchor: clock } }));

    await eventually(
      () => (watcher.provider.awareness.getStates().get(555) as { cursor?: { anchor: number } } | undefined)?.cursor?.anchor === 100,
      5_000,
      'the newest state relayed',
    );
    expect(statesSeen).toBeLessThan(100);
    await sleep(100);
    expect(socket.readyState).toBe(WebSocket.OPEN);
  });
});
