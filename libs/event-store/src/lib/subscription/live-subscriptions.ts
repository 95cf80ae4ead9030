import { EventEmitter } from 'node:events';
import type { EventHandler, SubscribeOptions, Subscription } from '../event-store.port';
import { CatchUpSubscription, SubscriptionPage } from './catch-up-subscription';

const COMMITTED = 'committed';
/** Pages kept for other subscribers at the same position (a few per distinct position and filter). */
const SHARED_PAGES = 64;

type PageReader = (afterPosition: number, maxCount: number, streamPrefixes?: string[]) => SubscriptionPage | Promise<SubscriptionPage>;

interface SharedPage {
  /** The commit signal this read started after: a later signal may mean more events (unless the page is full). */
  readonly generation: number;
  readonly page: Promise<SubscriptionPage>;
  full: boolean;
}

/**
 * The subscriptions of one store instance: each reads pages by position from the adapter and is
 * woken whenever the adapter signals that something may have been committed (its own appends, or a
 * notification from another process).
 *
 * Subscribers at the same position read the same page ONCE: after a commit every subscription (one
 * per projection, the access watcher, …) asks for the events after the position they all reached,
 * and one read of the adapter serves them all. A page read before the latest commit signal is not
 * reused (it may lack what that commit wrote) unless it was full — a full page's events never change,
 * positions being committed in order. Each subscriber gets its own copy of every event and of its
 * metadata (payloads are shared and must not be mutated).
 */
export class LiveSubscriptions {
  private readonly commits = new EventEmitter().setMaxListeners(0);
  private readonly open = new Set<CatchUpSubscription>();
  private readonly pages = new Map<string, SharedPage>();
  private generation = 0;

  constructor(private readonly readPage: PageReader) {}

  /** Wakes every open subscription to read what was committed since its position. */
  committed(): void {
    this.generation += 1;
    this.commits.emit(COMMITTED);
  }

  private async readShared(afterPosition: number, maxCount: number, streamPrefixes?: string[]): Promise<SubscriptionPage> {
    const key = `${afterPosition}:${maxCount}:${streamPrefixes?.join('\u0000') ?? ''}`;
    let shared = this.pages.get(key);
    if (!shared || (shared.generation !== this.generation && !shared.full)) {
      const generation = this.generation;
      const page = Promise.resolve().then(() => this.readPage(afterPosition, maxCount, streamPrefixes));
      const entry: SharedPage = { generation, page, full: false };
      shared = entry;
      this.pages.delete(key);
      this.pages.set(key, entry);
      if (this.pages.size > SHARED_PAGES) this.pages.delete(this.pages.keys().next().value as string);
      page.then(
        (read) => (entry.full = read.events.length >= maxCount),
        () => {
          if (this.pages.get(key) === entry) this.pages.delete(key);
        },
      );
    }
    const { events, scannedThrough } = await shared.page;
    return { events: events.map((event) => ({ ...event, metadata: { ...event.metadata } })), scannedThrough };
  }

  start(options: SubscribeOptions, handler: EventHandler, onError?: (error: unknown) => void): Subscription {
    const subscription = new CatchUpSubscription(
      {
        readPage: (afterPosition, maxCount, streamPrefixes) => this.readShared(afterPosition, maxCount, streamPrefixes),
        watchCommits: (onCommitted) => {
          this.commits.on(COMMITTED, onCommitted);
          return () => this.commits.off(COMMITTED, onCommitted);
        },
      },
      options,
      handler,
      onError,
      (closed) => this.open.delete(closed),
    );
    this.open.add(subscription);
    return subscription;
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.open].map((subscription) => subscription.close()));
  }
}
