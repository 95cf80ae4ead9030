import { EventEmitter } from 'node:events';
import type { EventHandler, SubscribeOptions, Subscription } from '../event-store.port';
import { CatchUpSubscription, SubscriptionPage } from './catch-up-subscription';
import { LogTail } from './log-tail';

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
 *
 * With `tail: true` (the durable stores), live subscribers are served from the LogTail: one
 * unfiltered read of the newest events per commit signal, whatever the subscribers' positions and
 * filters; only subscribers catching up from further back read the store page by page. A signal
 * that names the head it announces (a notification, a local commit) is dropped when an earlier one
 * already announced that head or a later one: the events are being read already.
 */
export class LiveSubscriptions {
  private readonly commits = new EventEmitter().setMaxListeners(0);
  private readonly open = new Set<CatchUpSubscription>();
  private readonly pages = new Map<string, SharedPage>();
  private generation = 0;
  /** The highest head a commit signal announced. */
  private announcedHead = 0;
  private readonly tail: LogTail | null;

  constructor(
    private readonly readPage: PageReader,
    options: { tail?: boolean } = {},
  ) {
    this.tail = options.tail ? new LogTail(readPage) : null;
  }

  /**
   * Wakes every open subscription to read what was committed since its position. `head`, when
   * known, is the highest position the signalled commit made visible: a signal for a head already
   * announced is dropped (a node hears its own commits twice, once locally and once notified).
   */
  committed(head?: number): void {
    if (head !== undefined && Number.isFinite(head)) {
      if (head <= this.announcedHead) return;
      this.announcedHead = head;
    }
    this.generation += 1;
    this.commits.emit(COMMITTED);
  }

  private async read(afterPosition: number, maxCount: number, streamPrefixes?: string[]): Promise<SubscriptionPage> {
    const generation = this.generation;
    const fromTail = await this.tail?.page(afterPosition, maxCount, streamPrefixes, generation, () => this.generation);
    const page = fromTail ?? (await this.readShared(afterPosition, maxCount, streamPrefixes));
    // A short page ends at the head: live subscribers can be served from the tail from there on.
    if (!fromTail && page.events.length < maxCount) this.tail?.startAt(page.scannedThrough, generation);
    return { events: page.events.map((event) => ({ ...event, metadata: { ...event.metadata } })), scannedThrough: page.scannedThrough };
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
    return shared.page;
  }

  start(options: SubscribeOptions, handler: EventHandler, onError?: (error: unknown) => void): Subscription {
    const subscription = new CatchUpSubscription(
      {
        readPage: (afterPosition, maxCount, streamPrefixes) => this.read(afterPosition, maxCount, streamPrefixes),
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
