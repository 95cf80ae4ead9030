import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { chainReport } from '../../testing/chain-report';
import { EventStoreUnavailableError, IdempotencyConflictError, WrongExpectedRevisionError } from '../errors';
import type { NewEvent, RecordedEvent } from '../event-store.port';
import { SqliteEventStore, SqliteEventStoreOptions } from './sqlite-event-store';

function newEvent(data: Record<string, string | number> = { note: randomUUID() }): NewEvent {
  return { id: randomUUID(), type: 'Noted', data, metadata: { userId: 'u1' } };
}

describe('SqliteEventStore writer thread (file)', () => {
  let directory: string;
  const stores: SqliteEventStore[] = [];
  const open = (options: SqliteEventStoreOptions = { writer: 'thread' }, name = 'events.sqlite'): SqliteEventStore => {
    const store = new SqliteEventStore(join(directory, name), options);
    stores.push(store);
    return store;
  };

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'concord-sqlite-writer-'));
  });

  afterEach(async () => {
    await Promise.all(stores.splice(0).map((store) => store.close()));
    rmSync(directory, { recursive: true, force: true });
  });

  it('commits many concurrent appends across streams in few commits, positions in issue order', async () => {
    const store = open();
    const appends = Array.from({ length: 300 }, (_, index) => store.append(`doc-${index % 30}`, [newEvent({ index })]));
    const results = await Promise.all(appends);

    // The first append starts a commit at once; the 299 arriving meanwhile share the next one.
    expect(store.appendCommits).toBeLessThanOrEqual(3);
    const positions = results.map((result) => result.position);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(new Set(positions).size).toBe(300);
    results.forEach((result, index) => expect(result.nextExpectedRevision).toBe(Math.floor(index / 30)));

    const all = await store.readAll();
    expect(all.map((event) => event.position)).toEqual(positions);
    expect(all.map((event) => event.data)).toEqual(Array.from({ length: 300 }, (_, index) => ({ index })));
    expect((await chainReport(store)).breaks).toEqual([]);
  });

  it('bounds a commit to 1,000 events', async () => {
    const store = open();
    await store.append('warm-up', [newEvent()]);
    const before = store.appendCommits;
    await Promise.all(Array.from({ length: 2_500 }, (_, index) => store.append(`doc-${index % 7}`, [newEvent({ index })])));
    expect(store.appendCommits - before).toBe(3);
  });

  it('fails an expected-revision conflict inside a batch alone; later appends see the earlier ones', async () => {
    const store = open();
    await store.append('a', [newEvent()]);
    const [first, conflicting, second, fresh] = await Promise.allSettled([
      store.append('a', [newEvent()], { expectedRevision: 0 }),
      store.append('a', [newEvent()], { expectedRevision: 0 }),
      store.append('a', [newEvent()], { expectedRevision: 1 }),
      store.append('b', [newEvent()], { expectedRevision: 'no_stream' }),
    ]);
    expect(first).toMatchObject({ status: 'fulfilled', value: { nextExpectedRevision: 1 } });
    expect(conflicting).toMatchObject({ status: 'rejected', reason: expect.any(WrongExpectedRevisionError) });
    expect((conflicting as PromiseRejectedResult).reason).toMatchObject({ expected: 0, actual: 1 });
    expect(second).toMatchObject({ status: 'fulfilled', value: { nextExpectedRevision: 2 } });
    expect(fresh).toMatchObject({ status: 'fulfilled', value: { nextExpectedRevision: 0 } });

    const stream = await store.readStream('a');
    expect(stream.map((event) => event.revision)).toEqual([0, 1, 2]);
    expect((await chainReport(store)).breaks).toEqual([]);
  });

  it('treats a replay inside the same batch as idempotent, with the original position', async () => {
    const store = open();
    await store.append('warm-up', [newEvent()]);
    const events = [newEvent(), newEvent()];
    const [original, replay, conflict] = await Promise.allSettled([
      store.append('a', events, { expectedRevision: 'no_stream' }),
      store.append('a', events, { expectedRevision: 'no_stream' }),
      store.append('b', [events[0]]),
    ]);
    expect(original.status).toBe('fulfilled');
    expect(replay).toEqual(original);
    expect(conflict).toMatchObject({ status: 'rejected', reason: expect.any(IdempotencyConflictError) });
    expect(await store.readStream('a')).toHaveLength(2);
    expect((original as PromiseFulfilledResult<{ position: number }>).value.position).toBe(
      (await store.readStream('a'))[1].position,
    );
  });

  it('keeps the event loop running while a commit is written, unlike the in-thread writer', async () => {
    // One large batch (8 MiB), so that writing it (inserts, WAL, fsync) takes measurable time.
    const payload = new Uint8Array(64 * 1024).fill(7);
    const events = (): NewEvent[] =>
      Array.from({ length: 128 }, () => ({ id: randomUUID(), type: 'Update', data: payload, metadata: { userId: 'u1' } }));
    /** Event-loop ticks and the longest gap between them from the append's return to its settlement. */
    const whileCommitting = async (store: SqliteEventStore): Promise<{ ticks: number; maxGap: number }> => {
      await store.append('warm-up', events());
      const appending = events();
      let last = performance.now();
      let ticks = 0;
      let maxGap = 0;
      const ticker = setInterval(() => {
        const now = performance.now();
        maxGap = Math.max(maxGap, now - last);
        last = now;
        ticks += 1;
      }, 1);
      try {
        const committing = store.append('doc', appending);
        last = performance.now();
        await committing;
        maxGap = Math.max(maxGap, performance.now() - last);
      } finally {
        clearInterval(ticker);
      }
      return { ticks, maxGap };
    };

    const inThread = await whileCommitting(open({ writer: 'in-thread' }, 'in-thread.sqlite'));
    const onWorker = await whileCommitting(open({ writer: 'thread' }, 'worker.sqlite'));
    // In-thread, the whole commit runs in one turn (at most a tick gets in before the turn starts).
    // On the worker, the loop keeps ticking while the batch is written.
    expect(onWorker.ticks).toBeGreaterThan(Math.max(1, inThread.ticks));
    expect(onWorker.maxGap).toBeLessThan(inThread.maxGap);
  });

  it('settles every append in flight or queued when closed, and rejects appends after close', async () => {
    const store = open();
    const appends = Array.from({ length: 200 }, (_, index) => store.append(`doc-${index % 5}`, [newEvent({ index })]));
    await store.close();
    const settled = await Promise.allSettled(appends);
    expect(settled.every((result) => result.status === 'fulfilled')).toBe(true);
    await expect(store.append('doc-0', [newEvent()])).rejects.toBeInstanceOf(EventStoreUnavailableError);

    const reopened = open();
    const all: RecordedEvent[] = await reopened.readAll();
    expect(all).toHaveLength(200);
    expect((await chainReport(reopened)).breaks).toEqual([]);
  });

  it('runs an import after the appends queued before it, never interleaved with a commit', async () => {
    const source = open({ writer: 'in-thread' }, 'source.sqlite');
    await source.append('imported', [newEvent(), newEvent()]);
    const imported = await source.readAll();

    const store = open();
    await store.append('warm-up', [newEvent()]);
    const before = store.append('before', [newEvent()]);
    // Positions must follow the appends committed before the import.
    const shifted = imported.map((event, index) => ({ ...event, position: 100 + index }));
    const importing = store.importEvents(shifted);
    const after = store.append('after', [newEvent()]);
    const [beforeResult, importResult, afterResult] = await Promise.all([before, importing, after]);
    expect(beforeResult.position).toBe(2);
    expect(importResult).toEqual({ eventsWritten: 2, position: 101 });
    expect(afterResult.position).toBe(102);
  });

  it('rejects a batch whose commit fails and plans the appends queued behind it again', async () => {
    const store = open();
    await store.append('warm-up', [newEvent()]);
    await new Promise((resolve) => setImmediate(resolve)); // the warm-up's commit is over: the next append starts one
    // Another connection holds the write lock longer than the writer's busy timeout (5 s).
    const blocker = new Database(join(directory, 'events.sqlite'));
    blocker.prepare('BEGIN IMMEDIATE').run();
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      blocker.prepare('ROLLBACK').run();
      blocker.close();
    };
    try {
      const failing = store.append('s', [newEvent()], { expectedRevision: 'no_stream' });
      // Queued behind it, planned on top of it: valid only if it commits.
      const onTopOfIt = store.append('s', [newEvent()], { expectedRevision: 0 });
      const anyRevision = store.append('s', [newEvent()]);
      await expect(failing.finally(release)).rejects.toBeInstanceOf(EventStoreUnavailableError);
      await expect(onTopOfIt).rejects.toBeInstanceOf(WrongExpectedRevisionError);
      // Planned again from the file: the stream's first event, chained from the genesis.
      await expect(anyRevision).resolves.toMatchObject({ nextExpectedRevision: 0 });
    } finally {
      release();
    }
    expect((await store.readStream('s')).map((event) => event.revision)).toEqual([0]);
    expect((await chainReport(store)).breaks).toEqual([]);
  }, 20_000);

  it('reads on the main connection see each commit as soon as its appends settle', async () => {
    const store = open();
    const seen: number[] = [];
    const subscription = store.subscribe({ afterPosition: 0 }, (event) => {
      seen.push(event.position);
    });
    const results = await Promise.all(Array.from({ length: 50 }, () => store.append('s', [newEvent()])));
    expect(await store.headPosition()).toBe(results[results.length - 1].position);
    expect(await store.streamRevision('s')).toBe(49);
    await waitFor(() => seen.length === 50);
    await subscription.close();
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
