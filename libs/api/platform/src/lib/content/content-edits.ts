import { CONTENT_UPDATED, proposalIdOfContentStream, STREAM_PREFIXES } from '@concord/domain';
import type { EventStore, Subscription } from '@concord/event-store';

/**
 * Runs `work(proposalId)` once a proposal's text has been quiet for `delayMs` after recorded edits
 * (ContentUpdated in its content stream, from the store's head on), off the edit path. For the
 * reactions that follow the text: its content hash, its suggestion events.
 *
 * `active()` says whether this node does that work now: with several nodes, only the one holding
 * the projection lease (ReadModels.isLeader). The others skip it — they would rebuild the same
 * documents to write the same rows and events, on the nodes serving edits — and the node that
 * takes over the lease catches up from the log.
 */
export class ContentEditFollower {
  private subscription: Subscription | undefined;
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly store: EventStore,
    private readonly delayMs: number,
    private readonly work: (proposalId: string) => Promise<void>,
    private readonly onError: (error: unknown, proposalId: string | null) => void,
    private readonly active: () => boolean = () => true,
  ) {}

  async start(): Promise<void> {
    this.subscription = this.store.subscribe(
      { afterPosition: await this.store.headPosition(), streamPrefixes: [STREAM_PREFIXES.proposal] },
      (event) => {
        const proposalId = event.type === CONTENT_UPDATED ? proposalIdOfContentStream(event.stream) : null;
        if (proposalId) this.schedule(proposalId);
      },
      (error) => this.onError(error, null),
    );
  }

  /** (Re)starts the quiet period of one proposal. */
  schedule(proposalId: string): void {
    clearTimeout(this.timers.get(proposalId));
    this.timers.set(
      proposalId,
      setTimeout(() => {
        this.timers.delete(proposalId);
        if (!this.active()) return;
        this.work(proposalId).catch((error) => this.onError(error, proposalId));
      }, this.delayMs),
    );
  }

  async stop(): Promise<void> {
    this.timers.forEach((timer) => clearTimeout(timer));
    this.timers.clear();
    await this.subscription?.close();
  }
}
