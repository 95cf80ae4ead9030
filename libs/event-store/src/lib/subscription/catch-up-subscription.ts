import { EventStoreUnavailableError } from '../errors';
import { Backoff, WakeableWait } from '../retry/backoff';
import type {
  EventHandler,
  RecordedEvent,
  SubscribeOptions,
  Subscription,
} from '../event-store.port';

/** One read of the global log for a subscription. */
export interface SubscriptionPage {
  /** Matching events after the requested position, in position order, at most the page size. */
  events: RecordedEvent[];
  /**
   * Every committed event up to this position has been considered. With a stream-prefix filter this
   * may be far beyond the last matching event, so a quiet subscription does not re-scan the same
   * non-matching events on every wake-up.
   */
  scannedThrough: number;
}

/** What an adapter provides so that one subscription loop serves every adapter. */
export interface SubscriptionSource {
  readPage(afterPosition: number, maxCount: number, streamPrefixes?: string[]): Promise<SubscriptionPage>;
  /** Calls `onCommitted` whenever events may have been committed; returns the unregister function. */
  watchCommits(onCommitted: () => void): () => void;
}

const PAGE_SIZE = 500;
const FIRST_RETRY_DELAY_MS = 100;
const MAX_RETRY_DELAY_MS = 5_000;

/**
 * Catch-up-then-live subscription by position. It never trusts a notification's content: a commit
 * signal only means "read again after the last position you have seen". Delivery is therefore
 * exactly-once and in order as long as the adapter makes positions visible in increasing order
 * (SQLite: one writer; PostgreSQL: serialized appends; memory: synchronous appends).
 *
 * A store that is temporarily unavailable is retried with backoff; a handler that throws (or any
 * other read error) stops the subscription and is reported to `onError`.
 */
export class CatchUpSubscription implements Subscription {
  readonly caughtUp: Promise<void>;
  private lastDelivered: number;
  /** Read cursor; can run ahead of `lastDelivered` over events the prefix filter skips. */
  private cursor: number;
  private commitSignals = 0;
  /** Waits for a commit signal (or the back-off after an unavailable store); woken by a signal or close. */
  private readonly pause = new WakeableWait();
  private readonly backoff = new Backoff(FIRST_RETRY_DELAY_MS, MAX_RETRY_DELAY_MS);
  private closed = false;
  private readonly stopWatching: () => void;
  private readonly running: Promise<void>;
  private resolveCaughtUp!: () => void;
  private rejectCaughtUp!: (error: unknown) => void;
  private isCaughtUp = false;

  constructor(
    private readonly source: SubscriptionSource,
    private readonly options: SubscribeOptions,
    private readonly handler: EventHandler,
    private readonly onError: (error: unknown) => void = reportUnhandledSubscriptionError,
    private readonly onClosed: (subscription: CatchUpSubscription) => void = () => undefined,
  ) {
    this.lastDelivered = options.afterPosition ?? 0;
    this.cursor = this.lastDelivered;
    this.caughtUp = new Promise<void>((resolve, reject) => {
      this.resolveCaughtUp = resolve;
      this.rejectCaughtUp = reject;
    });
    // Callers that never await caughtUp must not see an unhandled rejection when we stop early.
    this.caughtUp.catch(() => undefined);
    this.stopWatching = source.watchCommits(() => this.signalCommit());
    this.running = this.run();
  }

  get position(): number {
    return this.lastDelivered;
  }

  async close(): Promise<void> {
    this.stop(new Error('Subscription closed before it caught up'));
    await this.running;
  }

  /** Wakes the loop: used by adapters when a commit signal may have been lost (e.g. a reconnect). */
  signalCommit(): void {
    this.commitSignals += 1;
    this.pause.wake();
  }

  private async run(): Promise<void> {
    while (!this.closed) {
      const signalsBeforeRead = this.commitSignals;
      let page: SubscriptionPage;
      try {
        page = await this.source.readPage(this.cursor, PAGE_SIZE, this.options.streamPrefixes);
        this.backoff.reset();
      } catch (error) {
        if (error instanceof EventStoreUnavailableError) {
          await this.waitForCommitSignal(this.backoff.next());
          continue;
        }
        this.fail(error);
        return;
      }

      for (const event of page.events) {
        if (this.closed) return;
        try {
          await this.handler(event);
        } catch (error) {
          this.fail(error);
          return;
        }
        this.lastDelivered = event.position;
        this.cursor = event.position;
      }
      this.cursor = Math.max(this.cursor, page.scannedThrough);

      if (page.events.length < PAGE_SIZE) {
        if (!this.isCaughtUp) {
          this.isCaughtUp = true;
          this.resolveCaughtUp();
        }
        // A commit signalled while we were reading may not be in this page: read again at once.
        if (this.commitSignals === signalsBeforeRead) await this.waitForCommitSignal();
      }
    }
  }

  private waitForCommitSignal(timeoutMs?: number): Promise<void> {
    if (this.closed) return Promise.resolve();
    return this.pause.wait(timeoutMs);
  }

  private fail(error: unknown): void {
    this.stop(error);
    this.onError(error);
  }

  private stop(reasonIfNotCaughtUp: unknown): void {
    if (this.closed) return;
    this.closed = true;
    this.stopWatching();
    if (!this.isCaughtUp) this.rejectCaughtUp(reasonIfNotCaughtUp);
    this.pause.wake();
    this.onClosed(this);
  }
}

/** Without an onError a stopped subscription would otherwise fail silently. */
function reportUnhandledSubscriptionError(error: unknown): void {
  console.error('Event store subscription stopped by an unhandled error', error);
}
