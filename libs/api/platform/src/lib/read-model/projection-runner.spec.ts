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

  /** Counts only events of stream `a`; the others change nothing in it (as content updates, for most projections). */
  const onlyA = (handled: RecordedEvent[] = []): Projection => ({
    ...counter(),
    handle: (event: RecordedEvent) => {
      handled.push(event);
      return event.stream === 'a' ? counter().handle(event) : [];
    },
  });
  const storedPosition = async () =>
    (await db.query<{ position: number }>("SELECT position FROM rm_projection_positions WHERE name = 'counter'"))[0]?.position;

  it('spends no transaction on events that change nothing, and still stores the position they reach', async () => {
    const runner = new ProjectionRunner(store, db, [onlyA()], silent);
    await runner.start();
    const counted = await append(store, 'a', 1);
    await runner.waitForPosition(counted.position);
    const executed: unknown[] = [];
    const execute = db.execute.bind(db);
    db.execute = async (statements) => {
      executed.push(statements);
      return execute(statements);
    };
    const ignored = await append(store, 'x', 50);
    await runner.waitForPosition(ignored.position);
    // No transaction per event: at most the one that writes the positions reached meanwhile.
    expect(executed.length).toBeLessThanOrEqual(1);
    await eventually(async () => (await storedPosition()) === ignored.position);
    expect(executed).toHaveLength(1);
    expect(await counts()).toEqual([{ stream: 'a', n: 1 }]);
    await runner.stop();
  });

  it('writes the position of ignored events on stop, so a restart does not handle them again', async () => {
    const runner = new ProjectionRunner(store, db, [onlyA()], silent);
    await runner.start();
    const ignored = await append(store, 'x', 3);
    await runner.waitForPosition(ignored.position);
    await runner.stop();
    expect(await storedPosition()).toBe(ignored.position);

    const handledAgain: RecordedEvent[] = [];
    const restarted = new ProjectionRunner(store, db, [onlyA(handledAgain)], silent);
    await restarted.start();
    const next = await append(store, 'a', 1);
    await restarted.waitForPosition(next.position);
    expect(handledAgain.map((event) => event.position)).toEqual([next.position]);
    expect(await counts()).toEqual([{ stream: 'a', n: 1 }]);
    await restarted.stop();
  });

  it('never writes a position backwards when a change and the deferred positions meet', async () => {
    const runner = new ProjectionRunner(store, db, [onlyA()], silent);
    await runner.start();
    await append(store, 'x', 2);
    const counted = await append(store, 'a', 1);
    await runner.waitForPosition(counted.position);
    await runner.stop();
    expect(await storedPosition()).toBe(counted.position);
  });

  it('applies a burst of events in one transaction per projection, not one per event', async () => {
    const runner = new ProjectionRunner(store, db, [counter()], silent);
    await runner.start();
    const executed: number[] = [];
    const execute = db.execute.bind(db);
    db.execute = async (statements) => {
      executed.push(statements.length);
      return execute(statements);
    };
    // 200 events committed at once (one page of the log), as keystrokes on many documents are.
    const burst = await Promise.all(Array.from({ length: 200 }, (_, i) => append(store, `s${i % 20}`)));
    await runner.waitForPosition(Math.max(...burst.map((appended) => appended.position)));
    expect(executed.length).toBeLessThanOrEqual(5);
    expect((await counts()).map((row) => row.n)).toEqual(Array.from({ length: 20 }, () => 10));
    await runner.stop();
    expect(await storedPosition()).toBe(Math.max(...burst.map((appended) => appended.position)));
  });

  it('applies each event alone for a projection that reads its own tables, so it sees the events before it', async () => {
    // Numbers each event after the highest number stored so far: only right if every earlier event is applied.
    const numbering: Projection = {
      name: 'numbering',
      tables: ['rm_numbering'],
      ddl: ['CREATE TABLE rm_numbering (position INTEGER PRIMARY KEY, n INTEGER NOT NULL)'],
      readsOwnTables: () => true,
      handle: async (event: RecordedEvent) => {
        const [row] = await db.query<{ n: number | null }>('SELECT MAX(n) AS n FROM rm_numbering');
        return [sql('INSERT INTO rm_numbering (position, n) VALUES (?, ?)', event.position, (row?.n ?? 0) + 1)];
      },
    };
    const runner = new ProjectionRunner(store, db, [numbering, counter()], silent);
    await runner.start();
    const burst = await Promise.all(Array.from({ length: 30 }, (_, i) => append(store, `s${i}`)));
    await runner.waitForPosition(Math.max(...burst.map((appended) => appended.position)));
    const rows = await db.query<{ n: number }>('SELECT n FROM rm_numbering ORDER BY position');
    expect(rows.map((row) => row.n)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    await runner.stop();
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

  it('when a combined transaction fails, applies the events before the culprit and retries only the culprit', async () => {
    const runner = new ProjectionRunner(store, db, [flaky('strict', 'none', () => false)], logger, fast);
    await runner.start();
    const head = await store.headPosition();
    // A row already at the third event's position makes that event's INSERT fail (primary key).
    await db.execute([sql('INSERT INTO rm_strict (position) VALUES (?)', head + 3)]);
    const burst = await Promise.all(Array.from({ length: 5 }, () => append(store, 'good')));
    const last = Math.max(...burst.map((appended) => appended.position));
    await eventually(() => failures().length >= 2);
    expect(await positionsOf('strict')).toEqual([head + 1, head + 2, head + 3]);
    expect(runner.position).toBe(head + 2);
    expect(failures()[0]).toMatchObject({ projection: 'strict', position: head + 3, attempt: 1 });
    await db.execute([sql('DELETE FROM rm_strict WHERE position = ?', head + 3)]);
    await eventually(() => runner.position === last);
    expect(await positionsOf('strict')).toEqual([head + 1, head + 2, head + 3, head + 4, head + 5]);
    await runner.stop();
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
