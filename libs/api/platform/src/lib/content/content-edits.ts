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
 *
 * The passes run ONE AT A TIME, in the order their quiet periods ended; a proposal already waiting
 * is not queued twice. Under continuous load no text is quiet — until the node stalls for longer
 * than `delayMs` (a pause of the process, a slow disk): then every open proposal's period ends at
 * once. Run together, fifty such passes (each reading the text's updates from the store) held the
 * store's connections and the event loop for seconds, which made the next periods end together
 * again: on two PostgreSQL nodes a one-second pause of node A turned into a p50 above a second and
 * a p99 of 4.6–6.1 s for the rest of the run; one at a time, the same pause costs only the updates
 * sent during it (tools/bench/results/2026-12-08-vm-pg-pause.md).
 */
export class ContentEditFollower {
  private subscription: Subscription | undefined;
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** Proposals whose quiet period ended, waiting for their pass, in order. */
  private readonly due = new Set<string>();
  private draining: Promise<void> | null = null;
  private stopped = false;

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
        if (!this.active() || this.stopped) return;
        this.due.add(proposalId);
        // Started on a later tick, so that `draining` is set before drain() can clear it.
        this.draining ??= Promise.resolve().then(() => this.drain());
      }, this.delayMs),
    );
  }

  /** Runs the passes waiting, one at a time; a failed pass is reported and the next one runs. */
  private async drain(): Promise<void> {
    try {
      while (this.due.size > 0 && !this.stopped) {
        const proposalId = this.due.values().next().value as string;
        this.due.delete(proposalId);
        if (!this.active()) continue;
        try {
          await this.work(proposalId);
        } catch (error) {
          this.onError(error, proposalId);
        }
      }
    } finally {
      this.draining = null;
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.timers.forEach((timer) => clearTimeout(timer));
    this.timers.clear();
    this.due.clear();
    await this.subscription?.close();
  }
}
