import { AttributionIndex, buildDocument, diffRevisionsWithMoves, encodeSnapshot } from '@concord/content';
import * as Y from 'yjs';
import { contentEvents, eventually, snapshotEvents, useCollabHarness, users } from '../testing/collab-harness';
import { ContentWriter } from './persistence/content-writer';
import type { ProposalContent } from './proposal-content';

jest.setTimeout(60_000);

/** A seeded pseudo-random source (the same edits every run; change the seed to explore). */
function randomSource(seed: number): (n: number) => number {
  let state = seed;
  return (n) => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state % n;
  };
}

function paragraph(text: string): Y.XmlElement {
  const element = new Y.XmlElement('paragraph');
  element.setAttribute('id', globalThis.crypto.randomUUID());
  element.insert(0, [new Y.XmlText(text)]);
  return element;
}

/**
 * Three people editing one text at random — paragraphs added, deleted and moved, words typed and
 * deleted — each edit recorded through `ProposalContent.appendUpdate` as that person's.
 */
class RandomEditors {
  readonly recorded: Array<{ update: Uint8Array; userId: string }> = [];
  private readonly replicas = [users.drafter1, users.drafter2, users.chair].map((user, index) => {
    const doc = new Y.Doc();
    doc.clientID = 100 + index;
    return { user, doc };
  });

  constructor(private readonly random: (n: number) => number) {}

  async edit(content: ProposalContent, proposalId: string, count: number): Promise<void> {
    for (let step = 0; step < count; step++) {
      const { user, doc } = this.replicas[this.random(this.replicas.length)];
      const fragment = doc.getXmlFragment('content');
      const before = Y.encodeStateVector(doc);
      doc.transact(() => {
        const choice = this.random(20);
        if (fragment.length === 0 || choice < 2) {
          fragment.insert(this.random(fragment.length + 1), [paragraph(`p${this.recorded.length} `)]);
        } else if (choice < 3 && fragment.length > 1) {
          fragment.delete(this.random(fragment.length), 1);
        } else if (choice < 4 && fragment.length > 1) {
          // A move as an editor does it: the paragraph (same id) deleted and inserted elsewhere.
          const from = this.random(fragment.length);
          const moved = fragment.get(from) as Y.XmlElement;
          const copy = new Y.XmlElement('paragraph');
          copy.setAttribute('id', moved.getAttribute('id') as string);
          copy.insert(0, [new Y.XmlText((moved.get(0) as Y.XmlText).toString())]);
          fragment.delete(from, 1);
          fragment.insert(this.random(fragment.length + 1), [copy]);
        } else {
          const text = (fragment.get(this.random(fragment.length)) as Y.XmlElement).get(0) as Y.XmlText;
          if (choice < 14 || text.length === 0) text.insert(this.random(text.length + 1), `w${this.recorded.length} `);
          else {
            const at = this.random(text.length);
            text.delete(at, Math.min(text.length - at, 1 + this.random(6)));
          }
        }
      });
      const update = Y.encodeStateAsUpdate(doc, before);
      for (const other of this.replicas) if (other.doc !== doc) Y.applyUpdate(other.doc, update);
      await content.appendUpdate(proposalId, update, { userId: user.userId, kind: 'edit' });
      this.recorded.push({ update, userId: user.userId });
    }
  }

  /** The diff computed the slow way: every update from revision 1, attribution of all of them. */
  reference(from: number, to: number) {
    return diffRevisionsWithMoves({
      updates: this.recorded.map((entry) => entry.update),
      from,
      to,
      attribution: AttributionIndex.fromUpdates(this.recorded.slice(0, to)),
    });
  }

  destroy(): void {
    for (const { doc } of this.replicas) doc.destroy();
  }
}

/** The diff as the history API computes it: historySource + attributionAt (no cache). */
async function productDiff(content: ProposalContent, proposalId: string, from: number, to: number) {
  const [source, attribution] = await Promise.all([content.historySource(proposalId, { from, to }), content.attributionAt(proposalId, to)]);
  return { source, diff: diffRevisionsWithMoves({ ...source, from, to, attribution: attribution.index }) };
}

describe('history snapshots: any diff from one snapshot, the same as from revision 1', () => {
  const harness = useCollabHarness();

  it('keeps deleted content and attribution in every snapshot; random diffs equal the full replay, after a restart too', async () => {
    const K = 7;
    const server = await harness.startServer({ checkpointEvery: K });
    const editors = new RandomEditors(randomSource(2026));
    harness.defer(() => editors.destroy());
    await editors.edit(server.collab.content, 'p-hist', 120);
    const newest = editors.recorded.length;
    await eventually(async () => (await snapshotEvents(server.store, 'p-hist')).length === Math.floor(newest / K), 10_000, 'every snapshot');

    for (const event of await snapshotEvents(server.store, 'p-hist')) {
      expect(event.metadata).toMatchObject({ keepsDeleted: true, attribution: expect.any(String) });
      // The attribution stored is exactly that of updates 1..r.
      const revision = event.metadata['revision'] as number;
      const stored = AttributionIndex.decode(new Uint8Array(Buffer.from(event.metadata['attribution'] as string, 'base64')));
      expect(stored.encode()).toEqual(AttributionIndex.fromUpdates(editors.recorded.slice(0, revision)).encode());
    }

    const random = randomSource(7);
    const pairs: Array<[number, number]> = [
      [0, newest],
      [1, newest],
      [K - 1, K + 1],
      [newest - 1, newest],
    ];
    for (let i = 0; i < 30; i++) {
      const from = random(newest + 1);
      pairs.push([from, from + random(newest - from + 1)]);
    }
    let fromOneSnapshot = 0;
    for (const [from, to] of pairs) {
      const { source, diff } = await productDiff(server.collab.content, 'p-hist', from, to);
      expect({ from, to, diff }).toEqual({ from, to, diff: editors.reference(from, to) });
      // Never more than K updates replayed after the snapshot a distant pair starts from.
      if (source.fromSnapshot) {
        fromOneSnapshot += 1;
        expect(source.updates.length).toBeLessThan(K);
        expect(source.snapshotRevision).toBeGreaterThan(from);
      }
    }
    expect(fromOneSnapshot).toBeGreaterThan(10);

    // A second server on the same log has nothing in memory: it reads snapshots and their attribution.
    const restarted = await harness.startServer({ checkpointEvery: K, store: server.store });
    for (const [from, to] of pairs.slice(0, 8)) {
      expect((await productDiff(restarted.collab.content, 'p-hist', from, to)).diff).toEqual(editors.reference(from, to));
    }
    const attribution = await restarted.collab.content.attributionAt('p-hist', newest);
    expect(attribution.index.encode()).toEqual(AttributionIndex.fromUpdates(editors.recorded).encode());
    expect([...attribution.index.authors].sort()).toEqual([...new Set(editors.recorded.map((entry) => entry.userId))].sort());
  });

  it('after snapshots of the older kind, rebuilds the next one from revision 1 once and diffs across them', async () => {
    const store = harness.newStore();
    const before = await harness.startServer({ store, checkpointEvery: 1_000 });
    const editors = new RandomEditors(randomSource(11));
    harness.defer(() => editors.destroy());
    await editors.edit(before.collab.content, 'p-old', 12);
    // What a release before history snapshots wrote at revision 10: collected state, no attribution.
    const collected = buildDocument({ updates: editors.recorded.slice(0, 10).map((entry) => entry.update) });
    const tenth = (await contentEvents(store, 'p-old')).find((event) => event.metadata['revision'] === 10);
    await new ContentWriter(store).appendSnapshot('p-old', { state: encodeSnapshot(collected), revision: 10, contentStreamRevision: tenth?.revision as number });
    collected.destroy();
    expect((await before.collab.content.historySource('p-old', { from: 2, to: 12 })).snapshotRevision).toBe(0);

    const after = await harness.startServer({ store, checkpointEvery: 5 });
    await editors.edit(after.collab.content, 'p-old', 9); // revisions 13..21: a snapshot at 15 and 20
    await eventually(async () => (await snapshotEvents(store, 'p-old')).length === 3, 10_000, 'two new snapshots');
    const [old, rebuilt, extended] = await snapshotEvents(store, 'p-old');
    expect(old.metadata['keepsDeleted']).toBeUndefined();
    expect(rebuilt.metadata).toMatchObject({ revision: 15, keepsDeleted: true });
    expect(extended.metadata).toMatchObject({ revision: 20, keepsDeleted: true });
    expect(after.logs.filter((line) => line.message?.startsWith('first history snapshot'))).toHaveLength(1);
    for (const [from, to] of [
      [2, 21],
      [9, 16],
      [11, 20],
      [0, 21],
      [15, 15],
    ] as Array<[number, number]>) {
      const { source, diff } = await productDiff(after.collab.content, 'p-old', from, to);
      expect({ from, to, diff }).toEqual({ from, to, diff: editors.reference(from, to) });
      if (to >= 16 && from < 15) expect(source.fromSnapshot).toBeDefined();
    }
  });
});
