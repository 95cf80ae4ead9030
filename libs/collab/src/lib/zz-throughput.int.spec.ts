import * as Y from 'yjs';
import { eventually, useCollabHarness, users } from '../testing/collab-harness';
jest.setTimeout(120_000);
describe('throughput (throwaway)', () => {
  const harness = useCollabHarness();
  it.each([500, 50])('keystrokes with K=%i', async (K) => {
    const server = await harness.startServer({ checkpointEvery: K });
    const a = harness.connect(server, 'p-bench', users.drafter1);
    const b = harness.connect(server, 'p-bench', users.drafter2);
    await Promise.all([a.synced, b.synced]);
    const p = new Y.XmlElement('paragraph'); const t = new Y.XmlText(); p.insert(0, [t]); a.content.insert(0, [p]);
    const N = 5000;
    const start = process.hrtime.bigint();
    for (let i = 0; i < N; i++) t.insert(t.length, 'x');
    await eventually(() => server.collab.documents.contentRevision('p-bench') === N + 1, 100_000);
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    await eventually(() => ((b.content.get(0) as Y.XmlElement)?.get(0) as Y.XmlText)?.length === N, 100_000);
    const ms2 = Number(process.hrtime.bigint() - start) / 1e6;
    console.log(`K=${K}: ${N} updates recorded in ${ms.toFixed(0)} ms (${(N / ms * 1000).toFixed(0)}/s); seen by B after ${ms2.toFixed(0)} ms; memory rss ${(process.memoryUsage().rss/1e6).toFixed(0)} MB`);
  });
});
