import { MemoryEventStore, RecordedEvent } from '@concord/event-store';
import pino from 'pino';
import type { Projection } from './projection';
import { ProjectionFailingError, ProjectionRunner } from './projection-runner';
import { staleReason } from './read-model-freshness';
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

async function eventually<T>(check: () => T | Promise<T>, timeoutMs = 5_000): Promise<Exclude<T, false | undefined | null>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await check();
    if (result) return result as Exclude<T, false | undefined | null>;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

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

  it('resumes from its stored projection position without applying an event twice', async () => {
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

});

describe('ProjectionRunner when a projection fails', () => {
  let store: MemoryEventStore;
  let db: SqliteReadModelDatabase;
  let logs: Array<Record<string, unknown>>;
  let logger: pino.Logger;
  const fast = { firstRetryDelayMs: 5, maxRetryDelayMs: 40, lagSampleIntervalMs: 10 };

  beforeEach(() => {
    store = new MemoryEventStore();
    db = new SqliteReadModelDatabase(':memory:');
    logs = [];
    logger = pino({ level: 'info' }, { write: (line: string) => logs.push(JSON.parse(line)) });
  });
  afterEach(async () => {
    await db.close();
    await store.close();
  });

  const counts = () => db.query<{ stream: string; n: number }>('SELECT stream, n FROM rm_counter ORDER BY stream');
  const failures = () => logs.filter((line) => line['msg'] === 'read models: a projection failed to apply an event; retrying it (the other projections go on)');

  /** A projection of its own table that throws on events of `stream` while `shouldFail()` says so. */
  const flaky = (name: string, stream: string, shouldFail: () => boolean): Projection => ({
    name,
    tables: [`rm_${name}`],
    ddl: [`CREATE TABLE rm_${name} (position INTEGER PRIMARY KEY)`],
    handle: (event: RecordedEvent) => {
      if (event.stream === stream && shouldFail()) throw new Error(`${name} cannot digest ${event.stream}`);
      return [sql(`INSERT INTO rm_${name} (position) VALUES (?)`, event.position)];
    },
  });
  const positionsOf = async (name: string) => (await db.query<{ position: number }>(`SELECT position FROM rm_${name} ORDER BY position`)).map((row) => row.position);

  it('retries an event that fails N times with growing delays, logging each attempt, then applies it and goes on', async () => {
    let failuresLeft = 3;
    const runner = new ProjectionRunner(store, db, [flaky('flaky', 'bad', () => failuresLeft-- > 0), counter()], logger, fast);
    await runner.start();
    await append(store, 'good');
    const bad = await append(store, 'bad');
    const last = await append(store, 'good');
    await runner.waitForPosition(last.position, 5_000).catch(() => undefined);
    await eventually(() => runner.position === last.position);

    expect(await positionsOf('flaky')).toEqual([1, bad.position, last.position]);
    expect(await counts()).toEqual([{ stream: 'bad', n: 1 }, { stream: 'good', n: 2 }]);
    expect(failures()).toHaveLength(3);
    expect(failures().map((line) => line['attempt'])).toEqual([1, 2, 3]);
    expect(failures().map((line) => line['retryInMs'])).toEqual([5, 10, 20]);
    expect(failures()[0]).toMatchObject({ level: 50, projection: 'flaky', stream: 'bad', type: 'Happened', position: bad.position });
    expect((failures()[0]['err'] as { message: string }).message).toBe('flaky cannot digest bad');
    expect(logs.some((line) => String(line['msg']).includes('projection recovered'))).toBe(true);
    expect(runner.lag().projections.every((projection) => projection.failing === null)).toBe(true);
    await runner.stop();

    // Each projection keeps its own position: a restart resumes both without applying anything twice.
    const again = new ProjectionRunner(store, db, [flaky('flaky', 'bad', () => false), counter()], logger, fast);
    await again.start();
    const after = await append(store, 'good');
    await again.waitForPosition(after.position, 2_000);
    expect(await positionsOf('flaky')).toEqual([1, bad.position, last.position, after.position]);
    expect(await counts()).toEqual([{ stream: 'bad', n: 1 }, { stream: 'good', n: 3 }]);
    await again.stop();
  });

  it('keeps the other projections current while one always fails, reports its lag and refuses waiters at once', async () => {
    const runner = new ProjectionRunner(store, db, [flaky('stuck', 'bad', () => true), counter()], logger, fast);
    await runner.start();
    const bad = await append(store, 'bad');
    const later = await append(store, 'good', 2);

    await eventually(async () => (await counts()).length === 2);
    expect(await counts()).toEqual([{ stream: 'bad', n: 1 }, { stream: 'good', n: 2 }]);
    await expect(runner.waitForPosition(later.position, 5_000)).rejects.toThrow(ProjectionFailingError);
    await expect(runner.waitForPosition(later.position, 5_000)).rejects.toThrow(
      `read model stuck cannot apply event Happened at position ${bad.position} (stream bad;`,
    );

    const lag = await eventually(() => {
      const current = runner.lag();
      return current.projections[0].lagMs > 100 && current.headPosition === later.position ? current : undefined;
    });
    expect(lag.projections[0]).toMatchObject({
      name: 'stuck',
      position: 0,
      lagEvents: later.position,
      failing: { position: bad.position, stream: 'bad', type: 'Happened', error: 'stuck cannot digest bad' },
    });
    expect(lag.projections[1]).toMatchObject({ name: 'counter', position: later.position, lagEvents: 0, lagMs: 0, failing: null });
    expect(staleReason(lag, 100)).toMatch(/^The read models trail the event log by \d+ ms \(bound 100 ms\): stuck is failing at position 1 \(Happened of bad, \d+ attempts\)\.$/);
    expect(staleReason(lag, 60_000)).toBeNull();

    // The backoff is capped: after ~400 ms at most 5 ms·2^n up to 40 ms, never a tight loop.
    const attempts = failures().length;
    expect(attempts).toBeGreaterThan(3);
    expect(attempts).toBeLessThan(40);
    await runner.stop();
    // Stopped: no retry continues after stop.
    const stoppedAt = failures().length;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(failures().length).toBe(stoppedAt);
  });

  it('counts an unreadable log as stale', () => {
    const runner = new ProjectionRunner(store, db, [counter()], logger, fast);
    expect(staleReason(runner.lag(), 1_000)).toBe('The read models are not running.');
    expect(
      staleReason({ headPosition: 3, measuredAt: null, measurementAgeMs: 2_000, role: 'leader', projections: [] }, 1_000),
    ).toMatch(/head could not be read for 2000 ms/);
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

  it('follows the leader’s projection positions, then takes over when the lease is free', async () => {
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
