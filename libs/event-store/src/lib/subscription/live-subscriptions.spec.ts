import type { RecordedEvent } from '../event-store.port';
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
