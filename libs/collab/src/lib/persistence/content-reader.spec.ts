import { MemoryEventStore, type EventStore } from '@concord/event-store';
import { ContentReader } from './content-reader';
import { ContentWriter } from './content-writer';

/** Counts the store's stream reads and the snapshot bytes they return. */
function countingStore(store: MemoryEventStore): { store: EventStore; reads: () => number; reset: () => void } {
  let reads = 0;
  const counted = Object.create(store) as EventStore;
  counted.readStream = async (stream, options) => {
    reads += 1;
    return store.readStream(stream, options);
  };
  return { store: counted, reads: () => reads, reset: () => (reads = 0) };
}

async function writeSnapshots(store: EventStore, proposalId: string, revisions: readonly number[]): Promise<void> {
  const writer = new ContentWriter(store);
  for (const revision of revisions) {
    await writer.appendSnapshot(proposalId, { state: new Uint8Array([revision % 251]), revision, contentStreamRevision: revision - 1 });
  }
}

describe('ContentReader.newestSnapshot', () => {
  it('given no snapshot stream, finds none', async () => {
    const reader = new ContentReader(new MemoryEventStore());
    expect(await reader.newestSnapshot('p-none')).toBeNull();
    expect(await reader.newestSnapshot('p-none', 10)).toBeNull();
  });

  it('given snapshots every K, returns the newest at or before any revision in at most three reads', async () => {
    const memory = new MemoryEventStore();
    const K = 7;
    const count = 300;
    await writeSnapshots(memory, 'p1', Array.from({ length: count }, (_, i) => (i + 1) * K));
    const { store, reads, reset } = countingStore(memory);
    const reader = new ContentReader(store);
    const atMosts = [0, 1, K - 1, K, K + 1, 150 * K, 150 * K + 3, count * K - 1, count * K, count * K + 50];
    for (let i = 0; i < 200; i++) atMosts.push(Math.floor(Math.random() * (count * K + 20)));
    for (const atMost of atMosts) {
      reset();
      const found = await reader.newestSnapshot('p1', atMost);
      const expected = Math.min(Math.floor(atMost / K), count) * K;
      expect(found?.revision ?? 0).toBe(expected);
      if (found) expect(found.contentStreamRevision).toBe(expected - 1);
      // The newest, the interpolated probe, and the one after it to confirm.
      expect(reads()).toBeLessThanOrEqual(3);
    }
    reset();
    expect((await reader.newestSnapshot('p1'))?.revision).toBe(count * K);
    expect(reads()).toBe(1);
  });

  it('given snapshots at uneven intervals, returns the newest at or before any revision in O(log n) reads', async () => {
    let seed = 20261207;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (const [name, gap] of [
      ['random gaps', () => 1 + random(100)],
      ['a burst then long gaps', (i: number) => (i < 250 ? 1 : 10_000)],
      ['long gaps then a burst', (i: number) => (i < 50 ? 10_000 : 1)],
    ] as const) {
      const memory = new MemoryEventStore();
      const revisions: number[] = [];
      for (let i = 0, revision = 0; i < 300; i++) revisions.push((revision += gap(i)));
      const proposalId = name.replace(/ /g, '-');
      await writeSnapshots(memory, proposalId, revisions);
      const { store, reads, reset } = countingStore(memory);
      const reader = new ContentReader(store);
      const bound = 3 * Math.ceil(Math.log2(revisions.length)) + 1;
      const newest = revisions[revisions.length - 1];
      const atMosts = [0, revisions[0] - 1, revisions[0], ...revisions.slice(0, 40), newest - 1];
      for (let i = 0; i < 200; i++) atMosts.push(random(newest + 10));
      for (const atMost of atMosts) {
        reset();
        const found = await reader.newestSnapshot(proposalId, atMost);
        expect(found?.revision ?? 0).toBe(Math.max(0, ...revisions.filter((revision) => revision <= atMost)));
        expect(reads()).toBeLessThanOrEqual(bound);
      }
    }
  });

  it('given snapshots written out of order by racing nodes, never returns one past the bound', async () => {
    const memory = new MemoryEventStore();
    // Pairs swapped and a duplicate, as two nodes racing could leave them.
    const revisions = [10, 30, 20, 40, 40, 60, 50, 70, 90, 80, 100];
    await writeSnapshots(memory, 'p2', revisions);
    const reader = new ContentReader(memory);
    for (let atMost = 0; atMost <= 110; atMost++) {
      const found = await reader.newestSnapshot('p2', atMost);
      const best = Math.max(0, ...revisions.filter((revision) => revision <= atMost));
      if (best === 0) expect(found).toBeNull();
      else {
        expect(found).not.toBeNull();
        expect(found!.revision).toBeLessThanOrEqual(atMost);
        // Slower at worst, by at most the disorder: never older than the second-best candidate.
        expect(found!.revision).toBeGreaterThanOrEqual(best - 20);
      }
    }
  });
});

describe('ContentReader.updatePages', () => {
  it('gives every update from revision 1 up to the bound, in pages, skipping write fence markers', async () => {
    const store = new MemoryEventStore();
    const writer = new ContentWriter(store);
    let streamRevision = -1;
    for (let revision = 1; revision <= 700; revision++) {
      await writer.appendUpdates('p-pages', [{ update: new Uint8Array([revision % 251]), userId: `u${revision % 3}`, kind: 'edit', revision, clientIds: [] }], streamRevision);
      streamRevision += 1;
      if (revision % 100 === 0) {
        await store.append('proposal-p-pages-content', [{ id: `marker-${revision}`, type: 'ContentAccessChanged', data: {}, metadata: { userId: 'system' } }], {
          expectedRevision: streamRevision,
        });
        streamRevision += 1;
      }
    }
    const reader = new ContentReader(store);
    const pages: number[][] = [];
    for await (const page of reader.updatePages('p-pages', 650)) pages.push(page.map((update) => update.revision));
    expect(pages.length).toBeGreaterThan(2);
    expect(pages.flat()).toEqual(Array.from({ length: 650 }, (_, i) => i + 1));
    expect(pages.every((page) => page.length <= 256)).toBe(true);
  });
});
