import { createCollabServer, CollabServer } from '@concord/collab';
import { contentHash, EMPTY_DOCUMENT_HASH } from '@concord/domain';
import { MemoryEventStore } from '@concord/event-store';
import { CollabContentHistory } from './collab-content-history';

const document = {
  type: 'doc',
  content: [
    { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'Purpose' }] },
    { type: 'paragraph', content: [{ type: 'text', text: 'Orientation for contract workers.' }] },
  ],
};

describe('CollabContentHistory', () => {
  let store: MemoryEventStore;
  let collab: CollabServer;
  let history: CollabContentHistory;

  beforeEach(() => {
    store = new MemoryEventStore();
    collab = createCollabServer({ store, authenticate: async () => null, authorize: async () => 'forbidden' });
    history = new CollabContentHistory(collab);
  });
  afterEach(async () => {
    await collab.close();
    await store.close();
  });

  it('seeds text on the server as revision 1, attributed to the seeding user', async () => {
    expect(await history.currentRevision('p1')).toBe(0);
    expect(await history.seedContent('p1', document, 'drafter-1')).toBe(1);
    expect(await history.currentRevision('p1')).toBe(1);
    const [event] = await store.readStream('proposal-p1-content');
    expect(event).toMatchObject({ type: 'ContentUpdated', metadata: { userId: 'drafter-1', revision: 1 } });
  });

  it('hashes revision 0 as the domain hashes the empty document, and revision 1 as its JSON', async () => {
    await history.seedContent('p1', document, 'drafter-1');
    expect(await history.contentHashAt('p1', 0)).toBe(EMPTY_DOCUMENT_HASH);
    expect(await history.contentHashAt('p1', 1)).toBe(contentHash(document as never));
  });
});
