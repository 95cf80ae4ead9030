import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { parseUpdateV1 } from '@concord/content';
import { authorColor } from '@concord/contracts';
import { MemoryEventStore, PostgresEventStore, type EventStore } from '@concord/event-store';
import { Client } from 'pg';
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

jest.setTimeout(30_000);

const redisServerAvailable = spawnSync('redis-server', ['--version']).status === 0;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

describe('several nodes sharing one store', () => {
  const harness = useCollabHarness();

  /**
   * The log both nodes use: one MemoryEventStore instance shared in-process, or, when DATABASE_URL
   * is set, two PostgresEventStore instances on one fresh schema (notified through LISTEN/NOTIFY).
   */
  async function sharedStores(): Promise<[EventStore, EventStore]> {
    const url = process.env['DATABASE_URL'];
    if (!url) {
      const store = new MemoryEventStore();
      harness.defer(() => store.close());
      return [store, store];
    }
    const schema = `collab_test_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
    const first = new PostgresEventStore(url, { schema });
    const second = new PostgresEventStore(url, { schema });
    harness.defer(async () => {
      await Promise.allSettled([first.close(), second.close()]);
      const admin = new Client({ connectionString: url });
      await admin.connect();
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
    });
    await first.headPosition(); // creates the schema before the second instance looks
    return [first, second];
  }

  it('delivers an edit made on node A to a client of node B, and back', async () => {
    const [storeA, storeB] = await sharedStores();
    const nodeA = await harness.startServer({ store: storeA, nodeId: 'node-a' });
    const nodeB = await harness.startServer({ store: storeB, nodeId: 'node-b' });
    const onA = harness.connect(nodeA, 'p-cluster', users.drafter1);
    const onB = harness.connect(nodeB, 'p-cluster', users.drafter2);
    await Promise.all([onA.synced, onB.synced]);

    appendParagraph(onA.content, 'written on A');
    await eventually(() => textOf(onB.content).includes('written on A'));
    appendParagraph(onB.content, 'written on B');
    await eventually(() => textOf(onA.content).includes('written on B'));
  });

  it('numbers revisions without gaps or duplicates when both nodes append at once', async () => {
    const [storeA, storeB] = await sharedStores();
    const store = storeA;
    const nodeA = await harness.startServer({ store: storeA, nodeId: 'node-a', checkpointEvery: 7 });
    const nodeB = await harness.startServer({ store: storeB, nodeId: 'node-b', checkpointEvery: 7 });
    const onA = harness.connect(nodeA, 'p-race', users.drafter1);
    const onB = harness.connect(nodeB, 'p-race', users.drafter2);
    await Promise.all([onA.synced, onB.synced]);

    for (let index = 0; index < 25; index++) {
      appendParagraph(onA.content, `a${index}`);
      appendParagraph(onB.content, `b${index}`);
      if (index % 5 === 0) await sleep(1);
    }
    await eventually(() => textOf(onA.content).split('\n').length === 50 && textOf(onA.content) === textOf(onB.content), 10_000);
    const updates = (await contentEvents(store, 'p-race')).filter((event) => event.type === CONTENT_UPDATED);
    expect(updates.map((event) => event.metadata['revision'])).toEqual(updates.map((_, index) => index + 1));
    const authorOf = new Map([
      [onA.doc.clientID, users.drafter1.userId],
      [onB.doc.clientID, users.drafter2.userId],
    ]);
    for (const event of updates) {
      for (const struct of parseUpdateV1(event.data as Uint8Array).structs) {
        expect(authorOf.get(struct.client)).toBe(event.metadata.userId);
      }
    }
    // A late client on either node sees the same document.
    const late = harness.connect(nodeB, 'p-race', users.chair);
    await late.synced;
    expect(textOf(late.content)).toBe(textOf(onA.content));
  });

  (redisServerAvailable ? it : it.skip)('relays awareness between nodes through Redis', async () => {
    const port = await freePort();
    const redis = spawn('redis-server', ['--port', String(port), '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    harness.defer(
      () =>
        new Promise<void>((resolve) => {
          redis.once('exit', () => resolve());
          redis.kill('SIGTERM');
        }),
    );
    await sleep(300);
    const redisUrl = `redis://127.0.0.1:${port}`;
    const [storeA, storeB] = await sharedStores();
    const nodeA = await harness.startServer({ store: storeA, nodeId: 'node-a', redisUrl });
    const nodeB = await harness.startServer({ store: storeB, nodeId: 'node-b', redisUrl });
    const onA = harness.connect(nodeA, 'p-presence', users.drafter1);
    const onB = harness.connect(nodeB, 'p-presence', users.chair);
    await Promise.all([onA.synced, onB.synced]);
    await sleep(100); // let both nodes finish subscribing to the channel

    // The client claims another name and a colour; node B's clients see what node A's server set.
    onA.provider.awareness.setLocalStateField('user', { name: 'Somebody Else', color: 'red;background:url(x)' });
    const seenOnB = await eventually(
      () => (onB.provider.awareness.getStates().get(onA.doc.clientID) as { user?: { name?: string; color?: string } } | undefined)?.user,
      5_000,
      'awareness from node A on node B',
    );
    expect(seenOnB).toEqual({ name: users.drafter1.name, color: authorColor(users.drafter1.userId) });
    onB.provider.awareness.setLocalStateField('user', { name: 'Drafter One' });
    const seenOnA = await eventually(
      () => (onA.provider.awareness.getStates().get(onB.doc.clientID) as { user?: { name?: string; color?: string } } | undefined)?.user,
      5_000,
      'awareness from node B on node A',
    );
    expect(seenOnA).toEqual({ name: users.chair.name, color: authorColor(users.chair.userId) });
  });

  it('keeps awareness node-local without Redis', async () => {
    const [storeA, storeB] = await sharedStores();
    const nodeA = await harness.startServer({ store: storeA });
    const nodeB = await harness.startServer({ store: storeB });
    const onA = harness.connect(nodeA, 'p-local', users.drafter1);
    const onB = harness.connect(nodeB, 'p-local', users.drafter2);
    const alsoOnA = harness.connect(nodeA, 'p-local', users.chair);
    await Promise.all([onA.synced, onB.synced, alsoOnA.synced]);
    onA.provider.awareness.setLocalStateField('user', { name: 'Drafter One' });
    await eventually(() => alsoOnA.provider.awareness.getStates().has(onA.doc.clientID));
    await sleep(100);
    expect(onB.provider.awareness.getStates().has(onA.doc.clientID)).toBe(false);
  });
});
