import { AttributionIndex } from '@concord/content';
import type { ProposalContent } from '@concord/collab';

const CACHED_PROPOSALS = 32;
/** Further behind than this, the attribution stored with a history snapshot is read instead of the updates. */
const CATCH_UP_LIMIT = 2_000;

/** Nothing read yet. */
const empty = (): Entry => ({ index: new AttributionIndex(), revision: 0 });

interface Entry {
  index: AttributionIndex;
  /** The newest content revision whose update the index holds. */
  revision: number;
}

/**
 * Who wrote which Yjs item, per proposal, kept between requests: first the attribution stored with
 * the newest history snapshot plus the updates after it (`ProposalContent.attributionAt`, so even the
 * first diff after a restart reads O(K) updates), then extended with the updates recorded since. An
 * index that covers more revisions than a diff asks for is still right for it (items written later
 * are in neither revision), so a diff only reads the updates it has not seen yet.
 */
export class AttributionCache {
  private readonly entries = new Map<string, Promise<Entry>>();

  constructor(
    private readonly content: ProposalContent,
    private readonly catchUpLimit = CATCH_UP_LIMIT,
  ) {}

  async upTo(proposalId: string, revision: number): Promise<AttributionIndex> {
    const previous = this.entries.get(proposalId) ?? Promise.resolve(empty());
    const next = previous
      .catch(empty)
      .then(async (entry) => {
        if (entry.revision >= revision) return entry;
        if (revision - entry.revision > this.catchUpLimit) return this.content.attributionAt(proposalId, revision);
        for (const update of await this.content.updatesWithAuthors(proposalId, revision, entry.revision)) {
          entry.index.add(update.update, update.userId);
        }
        return { index: entry.index, revision };
      });
    this.entries.delete(proposalId);
    this.entries.set(proposalId, next);
    if (this.entries.size > CACHED_PROPOSALS) this.entries.delete(this.entries.keys().next().value as string);
    return (await next).index;
  }
}
