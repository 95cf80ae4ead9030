import { MemoryEventStore } from '@concord/event-store';
import { ContentEditFollower } from './content-edits';

const edit = (store: MemoryEventStore, proposalId: string) =>
  store.append(`proposal-${proposalId}-content`, [{ id: `${proposalId}-${Math.random()}`, type: 'ContentUpdated', data: new Uint8Array([1]), metadata: { userId: 'u' } }]);

const until = async (condition: () => boolean, ms = 3_000) => {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

describe('ContentEditFollower', () => {
  let store: MemoryEventStore;
  let follower: ContentEditFollower | undefined;

  beforeEach(() => {
    store = new MemoryEventStore();
  });

  afterEach(async () => {
    await follower?.stop();
    await store.close();
  });

  it('runs the passes of proposals whose quiet periods end together one at a time, each once', async () => {
    let running = 0;
    let mostAtOnce = 0;
    const passes: string[] = [];
    follower = new ContentEditFollower(store, 20, async (proposalId) => {
      running += 1;
      mostAtOnce = Math.max(mostAtOnce, running);
      await new Promise((resolve) => setTimeout(resolve, 10));
      passes.push(proposalId);
      running -= 1;
    }, (error) => { throw error; });
    await follower.start();
    const ids = Array.from({ length: 12 }, (_, index) => `p${index}`);
    for (const id of ids) {
      await edit(store, id);
      await edit(store, id);
    }
    await until(() => passes.length === ids.length);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(mostAtOnce).toBe(1);
    expect([...passes].sort()).toEqual([...ids].sort());
  });

  it('runs a proposal again when it was edited during its pass, and goes on after a failed pass', async () => {
    const passes: string[] = [];
    const errors: string[] = [];
    let first = true;
    follower = new ContentEditFollower(store, 20, async (proposalId) => {
      passes.push(proposalId);
      if (proposalId === 'a' && first) {
        first = false;
        await edit(store, 'a'); // edited while its pass runs
        throw new Error('store unavailable');
      }
    }, (error, proposalId) => errors.push(`${proposalId}: ${(error as Error).message}`));
    await follower.start();
    await edit(store, 'a');
    await edit(store, 'b');
    await until(() => passes.filter((id) => id === 'a').length === 2 && passes.includes('b'));
    expect(errors).toEqual(['a: store unavailable']);
  });

  it('does no pass on a node that is not active, and none after stop', async () => {
    const passes: string[] = [];
    let active = false;
    follower = new ContentEditFollower(store, 10, async (proposalId) => void passes.push(proposalId), () => undefined, () => active);
    await follower.start();
    await edit(store, 'x');
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(passes).toEqual([]);
    active = true;
    await edit(store, 'y');
    await until(() => passes.length === 1);
    expect(passes).toEqual(['y']);
    await edit(store, 'z');
    await follower.stop();
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(passes).toEqual(['y']);
  });
});
