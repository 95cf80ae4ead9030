import { MemoryEventStore, RecordedEvent } from '@concord/event-store';
import pino from 'pino';
import type { Projection } from './projection';
import { ProjectionRunner } from './projection-runner';
import { sql } from './read-model-database';
import { SqliteReadModelDatabase } from './sqlite-read-model-database';

const silent = pino({ level: 'silent' });

const counter = (ddlVersion = ''): Projection => ({
  name: 'counter',
  tables: ['rm_counter'],
  ddl: [`CREATE TABLE rm_counter (stream TEXT PRIMARY KEY, n INTEGER NOT NULL${ddlVersion})`],
  handle: (event: RecordedEvent) => [
    sql('INSERT INTO rm_counter (stream, n) VALUES (?, 1) ON CONFLICT (stream) DO UPDATE SET n = rm_counter.n + 1', event.stream),
  ],
});

const append = (store: MemoryEventStore, stream: string, count = 1) =>
  store.append(
    stream,
    Array.from({ length: count }, (_, i) => ({ id: `${stream}-${Date.now()}-${Math.random()}-${i}`, type: 'Happened', data: { i }, metadata: { userId: 'u1' } })),
  );

describe('ProjectionRunner', () => {
  let store: MemoryEventStore;
  let db: SqliteReadModelDatabase;

  beforeEach(() => {
    store = new MemoryEventStore();
    db = new SqliteReadModelDatabase(':memory:');
  });
  afterEach(async () => {
    await db.close();
    await store.close();
  });

  const counts = () => db.query<{ stream: string; n: number }>('SELECT stream, n FROM rm_counter ORDER BY stream');

  it('catches up on the log, then follows live appends', async () => {
    await append(store, 'a', 2);
    const runner = new ProjectionRunner(store, db, [counter()], silent);
    await runner.start();
    expect(await counts()).toEqual([{ stream: 'a', n: 2 }]);
    const { position } = await append(store, 'b', 3);
    await runner.waitForPosition(position);
    expect(await counts()).toEqual([{ stream: 'a', n: 2 }, { stream: 'b', n: 3 }]);
    await runner.stop();
  });

  it('resumes from its stored checkpoint without applying an event twice', async () => {
    await append(store, 'a', 2);
    const first = new ProjectionRunner(store, db, [counter()], silent);
    await first.start();
    await first.stop();
    const { position } = await append(store, 'a', 1);
    const second = new ProjectionRunner(store, db, [counter()], silent);
    await second.start();
    await second.waitForPosition(position);
    expect(await counts()).toEqual([{ stream: 'a', n: 3 }]);
    await second.stop();
  });

  it('rebuilds from the log when the projections change shape, and on request', async () => {
    await append(store, 'a', 2);
    const first = new ProjectionRunner(store, db, [counter()], silent);
    await first.start();
    await first.stop();
    const changed = new ProjectionRunner(store, db, [counter(', extra TEXT')], silent);
    await changed.start();
    expect(await counts()).toEqual([{ stream: 'a', n: 2 }]);
    await db.execute([sql('UPDATE rm_counter SET n = 99')]);
    await changed.rebuild();
    expect(await counts()).toEqual([{ stream: 'a', n: 2 }]);
    await changed.stop();
  });

  it('makes waiters fail when a projection throws, and stops there', async () => {
    const broken: Projection = { ...counter(), handle: () => [sql('INSERT INTO no_such_table VALUES (1)')] };
    const runner = new ProjectionRunner(store, db, [broken], silent);
    await runner.start();
    const { position } = await append(store, 'a');
    await expect(runner.waitForPosition(position, 1_000)).rejects.toThrow();
    expect(runner.position).toBe(0);
    await runner.stop();
  });
});

describe('ProjectionRunner sharing a read-model database', () => {
  /** A database whose lease another process holds until `release()`. */
  function contendedDatabase(db: SqliteReadModelDatabase) {
    let held = true;
    const shared = Object.create(db) as SqliteReadModelDatabase;
    shared.tryAcquireProjectionLease = async () => !held;
    return { shared, release: () => (held = false) };
  }

  it('follows the leader’s checkpoint, then takes over when the lease is free', async () => {
    const store = new MemoryEventStore();
    const db = new SqliteReadModelDatabase(':memory:');
    const leader = new ProjectionRunner(store, db, [counter()], silent);
    await leader.start();
    const { shared, release } = contendedDatabase(db);
    const follower = new ProjectionRunner(store, shared, [counter()], silent, { followIntervalMs: 10, leaseRetryMs: 20 });
    await follower.start();
    expect(follower.isLeader).toBe(false);

    const first = await append(store, 'a', 2);
    await follower.waitForPosition(first.position, 2_000);
    expect(follower.position).toBe(first.position);

    await leader.stop();
    release();
    const second = await append(store, 'a', 1);
    await follower.waitForPosition(second.position, 2_000);
    expect(follower.isLeader).toBe(true);
    expect(await db.query('SELECT n FROM rm_counter')).toEqual([{ n: 3 }]);
    await follower.stop();
    await db.close();
  });
});
