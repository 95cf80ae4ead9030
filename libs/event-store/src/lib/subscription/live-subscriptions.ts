import { EventEmitter } from 'node:events';
import type { EventHandler, SubscribeOptions, Subscription } from '../event-store.port';
import { CatchUpSubscription, SubscriptionPage } from './catch-up-subscription';

const COMMITTED = 'committed';

/**
 * The subscriptions of one store instance: each reads pages by position from the adapter and is
 * woken whenever the adapter signals that something may have been committed (its own appends, or a
 * notification from another process).
 */
export class LiveSubscriptions {
  private readonly commits = new EventEmitter().setMaxListeners(0);
  private readonly open = new Set<CatchUpSubscription>();

  constructor(private readonly readPage: (afterPosition: number, maxCount: number, streamPrefixes?: string[]) => SubscriptionPage | Promise<SubscriptionPage>) {}

  /** Wakes every open subscription to read what was committed since its position. */
  committed(): void {
    this.commits.emit(COMMITTED);
  }

  start(options: SubscribeOptions, handler: EventHandler, onError?: (error: unknown) => void): Subscription {
    const subscription = new CatchUpSubscription(
      {
        readPage: async (afterPosition, maxCount, streamPrefixes) => this.readPage(afterPosition, maxCount, streamPrefixes),
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
