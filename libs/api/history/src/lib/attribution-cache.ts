import { AttributionIndex } from '@concord/content';
import type { ProposalContent } from '@concord/collab';

const CACHED_PROPOSALS = 32;

interface Entry {
  index: AttributionIndex;
  /** The newest content revision whose update the index holds. */
  revision: number;
}

/**
 * Who wrote which Yjs item, per proposal, kept between requests: built once from the whole content
 * stream, then extended with the updates recorded since. An index that covers more revisions than
 * a diff asks for is still right for it (items written later are in neither snapshot), so a diff
 * only reads the updates it has not seen yet instead of the whole history.
 */
export class AttributionCache {
  private readonly entries = new Map<string, Promise<Entry>>();

  constructor(private readonly content: ProposalContent) {}

  async upTo(proposalId: string, revision: number): Promise<AttributionIndex> {
    const previous = this.entries.get(proposalId) ?? Promise.resolve({ index: new AttributionIndex(), revision: 0 });
    const next = previous
      .catch(() => ({ index: new AttributionIndex(), revision: 0 }))
      .then(async (entry) => {
        if (entry.revision >= revision) return entry;
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
