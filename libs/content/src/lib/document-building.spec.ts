import * as Y from 'yjs';
import { buildDocument, recordedDocument } from './document-building';
import { mulberry32 as prng } from '../testing/random';


interface Message {
  readonly update: Uint8Array;
}

/**
 * A relay in miniature: three clients (ordinary Y.Docs, which clean up formatting after remote
 * changes and send what they deleted as their own update) and a server document that records every
 * client update in arrival order, applies it and relays it and anything its own document emits.
 * Deliveries are delayed at random, so clients format and type against states the others do not
 * have yet. Returns the server's document and the log it recorded.
 */
function relay(seed: number, server: Y.Doc, operations: number): { server: Y.Doc; log: Uint8Array[]; clients: Y.Doc[]; ownUpdates: number } {
  const random = prng(seed);
  // The live document has its text type in hand from the start (Yjs only cleans up a known type).
  server.getText('t');
  const log: Uint8Array[] = [];
  const clients = [1, 2, 3].map((id) => {
    const doc = new Y.Doc();
    doc.clientID = id;
    return doc;
  });
  const toServer: Message[] = [];
  const toClient: Message[][] = clients.map(() => []);
  const FROM_SERVER = Symbol('server');
  clients.forEach((doc) =>
    doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin !== FROM_SERVER) toServer.push({ update });
    }),
  );
  // The first update the server's document emits while applying one is that update; any further one
  // is a change of its own (relayed too, as a server relays whatever its document emits).
  let emitted = 0;
  let ownUpdates = 0;
  server.on('update', (update: Uint8Array) => {
    emitted += 1;
    if (emitted === 1) return;
    ownUpdates += 1;
    toClient.forEach((queue) => queue.push({ update }));
  });
  const deliverToServer = () => {
    const message = toServer.shift();
    if (!message) return;
    log.push(message.update);
    emitted = 0;
    Y.applyUpdate(server, message.update);
    toClient.forEach((queue) => queue.push(message));
  };
  const deliverToClient = (index: number) => {
    const message = toClient[index].shift();
    if (message) Y.applyUpdate(clients[index], message.update, FROM_SERVER);
  };
  const keys = ['bold', 'italic', 'suggestionDelete'];
  for (let i = 0; i < operations; i++) {
    const roll = random();
    if (roll < 0.25) deliverToServer();
    else if (roll < 0.5) deliverToClient(Math.floor(random() * clients.length));
    else {
      const text = clients[Math.floor(random() * clients.length)].getText('t');
      const at = Math.floor(random() * (text.length + 1));
      const kind = random();
      if (kind < 0.4 || text.length < 4) {
        const attributes = random() < 0.5 ? { [keys[Math.floor(random() * keys.length)]]: { by: i % 3 } } : {};
        text.insert(at, `w${i} `, attributes);
      } else if (kind < 0.85) {
        const length = Math.min(text.length - at, 1 + Math.floor(random() * 6));
        const key = keys[Math.floor(random() * keys.length)];
        text.format(at, length, { [key]: random() < 0.3 ? null : { by: i % 3 } });
      } else text.delete(at, Math.min(text.length - at, 1 + Math.floor(random() * 3)));
    }
  }
  // Drain: everything reaches the server, then every client.
  while (toServer.length || toClient.some((queue) => queue.length)) {
    while (toServer.length) deliverToServer();
    clients.forEach((_, index) => {
      while (toClient[index].length) deliverToClient(index);
    });
  }
  return { server, log, clients, ownUpdates };
}

describe('recordedDocument: the live document and every replay of its log read alike', () => {
  it.each([1, 2, 3, 4, 5, 6])('seed %i: the server writes nothing of its own; it, a replay of its log and every client end equal', (seed) => {
    const { server, log, clients, ownUpdates } = relay(seed, recordedDocument(), 600);
    expect(ownUpdates).toBe(0);
    const replay = buildDocument({ updates: log });
    const reading = (doc: Y.Doc) => JSON.stringify(doc.getText('t').toDelta());
    expect(reading(replay)).toEqual(reading(server));
    for (const client of clients) expect(reading(client)).toEqual(reading(server));
    expect(Y.encodeStateAsUpdate(replay)).toEqual(Y.encodeStateAsUpdate(server));
  });

  it('an ordinary Y.Doc in the server’s place deletes format items of its own accord, which no log records (the test above can fail)', () => {
    const { server, log, ownUpdates } = relay(1, new Y.Doc(), 600);
    expect(ownUpdates).toBeGreaterThan(0);
    expect(Y.encodeStateAsUpdate(buildDocument({ updates: log }))).not.toEqual(Y.encodeStateAsUpdate(server));
  });
});
