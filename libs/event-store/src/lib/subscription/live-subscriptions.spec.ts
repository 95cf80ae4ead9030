import type { RecordedEvent } from '../event-store.port';
import { EventStoreUnavailableError } from '../errors';
import type { SubscriptionPage } from './catch-up-subscription';
import { LiveSubscriptions } from './live-subscriptions';

/** A log in memory read page by page, counting the reads that reach it. */
function countingLog() {
  const events: RecordedEvent[] = [];
  const reads: number[] = [];
  const readPage = (afterPosition: number, maxCount: number): SubscriptionPage => {
    reads.push(afterPosition);
    const page = events.filter((event) => event.position > afterPosition).slice(0, maxCount);
    return { events: page, scannedThrough: page.length < maxCount ? events.length : page[page.length - 1].position };
  };
  const add = (count: number) => {
    for (let i = 0; i < count; i++) {
      const position = events.length + 1;
      events.push({ position, stream: 's', revision: position - 1, id: `e${position}`, type: 'Happened', data: { position }, metadata: { userId: 'u', at: '' } } as unknown as RecordedEvent);
    }
  };
  return { readPage, reads, add };
}

const until = async (check: () => boolean) => {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 2));
  expect(check()).toBe(true);
};

describe('LiveSubscriptions', () => {
  it('serves subscribers at the same position with one read of the store per commit', async () => {
    const log = countingLog();
    log.add(3);
    const live = new LiveSubscriptions(log.readPage);
    const delivered: number[][] = Array.from({ length: 10 }, () => []);
    const subscriptions = delivered.map((seen) => live.start({ afterPosition: 0 }, (event) => void seen.push(event.position)));
    await Promise.all(subscriptions.map((subscription) => subscription.caughtUp));
    expect(log.reads.filter((after) => after === 0)).toHaveLength(1);

    for (let commit = 0; commit < 5; commit++) {
      const readsBefore = log.reads.length;
      log.add(2);
      live.committed();
      await until(() => delivered.every((seen) => seen.length === 5 + commit * 2));
      // One read of the new events for all ten, not one each.
      expect(log.reads.length - readsBefore).toBeLessThanOrEqual(2);
    }
    for (const seen of delivered) expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
    await live.closeAll();
  });

  it('never serves a page read before the latest commit signal, so nothing committed since is missed', async () => {
    const log = countingLog();
    const live = new LiveSubscriptions(log.readPage);
    const first: number[] = [];
    const a = live.start({ afterPosition: 0 }, (event) => void first.push(event.position));
    await a.caughtUp;
    log.add(1);
    live.committed();
    await until(() => first.length === 1);
    // A second subscriber at position 0 after another commit must see both events.
    log.add(1);
    live.committed();
    const second: number[] = [];
    const b = live.start({ afterPosition: 0 }, (event) => void second.push(event.position));
    await until(() => second.length === 2 && first.length === 2);
    expect(second).toEqual([1, 2]);
    await live.closeAll();
  });

  it('gives each subscriber its own event and metadata objects', async () => {
    const log = countingLog();
    log.add(1);
    const live = new LiveSubscriptions(log.readPage);
    const seen: RecordedEvent[] = [];
    const subscriptions = [0, 1].map(() => live.start({ afterPosition: 0 }, (event) => void seen.push(event)));
    await Promise.all(subscriptions.map((subscription) => subscription.caughtUp));
    expect(seen).toHaveLength(2);
    expect(seen[0]).not.toBe(seen[1]);
    expect(seen[0].metadata).not.toBe(seen[1].metadata);
    expect(seen[0]).toEqual(seen[1]);
    await live.closeAll();
  });
});

/** A log over several streams whose reads can be made to fail, recording every read that reaches it. */
function streamsLog() {
  const events: RecordedEvent[] = [];
  const reads: Array<{ afterPosition: number; streamPrefixes?: string[] }> = [];
  let failing = false;
  const readPage = async (afterPosition: number, maxCount: number, streamPrefixes?: string[]): Promise<SubscriptionPage> => {
    reads.push({ afterPosition, streamPrefixes });
    // As an adapter would: the head and the page from one snapshot, answered later.
    const snapshot = events.slice();
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 3));
    if (failing) throw new EventStoreUnavailableError('reading for a subscription', new Error('connection lost'));
    const matching = snapshot.filter(
      (event) => event.position > afterPosition && (!streamPrefixes || streamPrefixes.some((prefix) => event.stream.startsWith(prefix))),
    );
    const page = matching.slice(0, maxCount);
    const head = snapshot.length === 0 ? 0 : snapshot[snapshot.length - 1].position;
    return { events: page, scannedThrough: Math.max(page.length < maxCount ? head : page[page.length - 1].position, afterPosition) };
  };
  let position = 0;
  const add = (stream: string, gap = 0) => {
    // Positions may skip numbers (a PostgreSQL sequence after a rolled-back append).
    position += 1 + gap;
    events.push({ position, stream, revision: 0, id: `e${position}`, type: 'Happened', data: { position }, metadata: { userId: 'u', at: '' } } as unknown as RecordedEvent);
    return position;
  };
  return { events, reads, readPage, add, fail: (value: boolean) => (failing = value) };
}

describe('LiveSubscriptions with the log tail', () => {
  const STREAMS = ['proposal-content-a', 'proposal-content-b', 'proposal-x', 'submission-1', 'workspace-w'];
  const FILTERS: Array<string[] | undefined> = [undefined, ['proposal-content-'], ['proposal-'], ['submission-', 'workspace-'], ['nothing-']];

  it('delivers to subscribers of every filter exactly what the store holds, in order, under random commits (randomised)', async () => {
    for (let round = 0; round < 8; round++) {
      const log = streamsLog();
      const live = new LiveSubscriptions(log.readPage, { tail: true });
      for (let i = 0; i < 40; i++) log.add(STREAMS[i % STREAMS.length]);
      const subscribers = FILTERS.flatMap((streamPrefixes) =>
        [0, 20, 40].map((afterPosition) => ({ afterPosition, streamPrefixes, seen: [] as number[] })),
      );
      const subscriptions = subscribers.map((subscriber) =>
        live.start({ afterPosition: subscriber.afterPosition, streamPrefixes: subscriber.streamPrefixes }, (event) => {
          subscriber.seen.push(event.position);
        }),
      );
      for (let commit = 0; commit < 60; commit++) {
        const count = 1 + Math.floor(Math.random() * 6);
        let head = 0;
        for (let i = 0; i < count; i++) head = log.add(STREAMS[Math.floor(Math.random() * STREAMS.length)], Math.random() < 0.1 ? 3 : 0);
        // Some commits are heard twice (the node's own, then its notification), some without a head.
        const signal = Math.random();
        live.committed(signal < 0.2 ? undefined : head);
        if (signal > 0.7) live.committed(head);
        if (Math.random() < 0.3) await new Promise((resolve) => setTimeout(resolve, Math.random() * 4));
      }
      const expected = (subscriber: (typeof subscribers)[number]) =>
        log.events
          .filter((event) => event.position > subscriber.afterPosition)
          .filter((event) => !subscriber.streamPrefixes || subscriber.streamPrefixes.some((prefix) => event.stream.startsWith(prefix)))
          .map((event) => event.position);
      await until(() => subscribers.every((subscriber) => subscriber.seen.length === expected(subscriber).length));
      for (const subscriber of subscribers) expect(subscriber.seen).toEqual(expected(subscriber));
      await Promise.all(subscriptions.map((subscription) => subscription.close()));
    }
  });

  it('reads the store once per commit for live subscribers, whatever their filters and positions', async () => {
    const log = streamsLog();
    for (let i = 0; i < 10; i++) log.add(STREAMS[i % STREAMS.length]);
    const live = new LiveSubscriptions(log.readPage, { tail: true });
    const seen = FILTERS.map(() => [] as number[]);
    const subscriptions = FILTERS.map((streamPrefixes, index) =>
      live.start({ afterPosition: index * 2, streamPrefixes }, (event) => void seen[index].push(event.position)),
    );
    await Promise.all(subscriptions.map((subscription) => subscription.caughtUp));
    for (let commit = 0; commit < 10; commit++) {
      const readsBefore = log.reads.length;
      const head = log.add(STREAMS[commit % STREAMS.length]);
      live.committed(head);
      // The same head heard again (a notification of this node's own commit) reads nothing more.
      live.committed(head);
      await until(() => seen[0].length === 11 + commit);
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect(log.reads.length - readsBefore).toBe(1);
      expect(log.reads[log.reads.length - 1].streamPrefixes).toBeUndefined();
    }
    await Promise.all(subscriptions.map((subscription) => subscription.close()));
  });

  it('lets a subscriber far behind the tail read the store itself, and recovers when a tail read fails', async () => {
    const log = streamsLog();
    const live = new LiveSubscriptions(log.readPage, { tail: true });
    const recent: number[] = [];
    const a = live.start({ afterPosition: 0, streamPrefixes: ['proposal-'] }, (event) => void recent.push(event.position));
    await a.caughtUp;
    for (let i = 0; i < 5_000; i++) log.add(STREAMS[i % 3]);
    live.committed(log.events[log.events.length - 1].position);
    await until(() => recent.length === 5_000);
    // The tail now holds only the newest events: a subscriber from 0 pages through the store.
    const late: number[] = [];
    const b = live.start({ afterPosition: 0 }, (event) => void late.push(event.position));
    await b.caughtUp;
    expect(late).toEqual(log.events.map((event) => event.position));
    expect(log.reads.some((read) => read.afterPosition === 0 && read.streamPrefixes === undefined)).toBe(true);

    // The burst was larger than the tail: it started again where a subscriber caught up, and one
    // read per commit serves both again.
    const readsBefore = log.reads.length;
    log.add('proposal-x');
    live.committed(log.events[log.events.length - 1].position);
    await until(() => recent.length === 5_001 && late.length === 5_001);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(log.reads.length - readsBefore).toBe(1);

    log.fail(true);
    log.add('proposal-x');
    live.committed(log.events[log.events.length - 1].position);
    await new Promise((resolve) => setTimeout(resolve, 30));
    log.fail(false);
    // The subscription retries after its back-off and then gets the event.
    await until(() => recent.length === 5_002 && late.length === 5_002);
    await Promise.all([a.close(), b.close()]);
  }, 20_000);
});
