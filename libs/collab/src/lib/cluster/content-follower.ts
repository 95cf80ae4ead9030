import type { EventStore, RecordedEvent, Subscription } from '@concord/event-store';
import { CollabLogger, describeError } from '../logger';
import { CONTENT_STREAM_FILTER_PREFIX, proposalIdOfContentStream } from '../persistence/content-events';

const RESTART_DELAY_MS = 1_000;

export interface ContentFollower {
  /** Resolves once the subscription is in place (from the store's head at start). */
  readonly ready: Promise<void>;
  close(): Promise<void>;
}

/**
 * Follows every content stream from the store's head at start and hands each event to `deliver`.
 * This is how an edit appended by another node reaches the clients of this one. `deliver` must not
 * block: the subscription waits for it. A failed subscription restarts from its last position.
 */
export function followContentStreams(options: {
  store: EventStore;
  logger: CollabLogger;
  deliver: (proposalId: string, event: RecordedEvent) => void;
}): ContentFollower {
  const { store, logger, deliver } = options;
  let subscription: Subscription | null = null;
  let restartTimer: NodeJS.Timeout | null = null;
  let closed = false;
  let wakeRetry: (() => void) | null = null;

  const handle = (event: RecordedEvent): void => {
    const proposalId = proposalIdOfContentStream(event.stream);
    if (!proposalId) return;
    try {
      deliver(proposalId, event);
    } catch (error) {
      logger.error({ proposalId, stream: event.stream, ...describeError(error) }, 'delivering a content event failed');
    }
  };

  const start = (afterPosition: number): void => {
    if (closed) return;
    const current: Subscription = store.subscribe(
      { afterPosition, streamPrefixes: [CONTENT_STREAM_FILTER_PREFIX] },
      handle,
      (error) => {
        if (closed) return;
        logger.error({ position: current.position, ...describeError(error) }, 'content subscription stopped; restarting');
        restartTimer = setTimeout(() => start(current.position), RESTART_DELAY_MS);
        restartTimer.unref();
      },
    );
    subscription = current;
  };

  // A store that is down at start must not leave the server unable to ever open a document.
  const ready = (async () => {
    for (let delay = 250; !closed; delay = Math.min(delay * 2, 5_000)) {
      try {
        start(await store.headPosition());
        return;
      } catch (error) {
        logger.error({ ...describeError(error), retryInMs: delay }, 'cannot read the store head; retrying');
        await new Promise<void>((resolve) => {
          wakeRetry = resolve;
          restartTimer = setTimeout(resolve, delay);
          restartTimer.unref();
        });
        wakeRetry = null;
      }
    }
  })();

  return {
    ready,
    async close() {
      closed = true;
      if (restartTimer) clearTimeout(restartTimer);
      wakeRetry?.();
      await ready.catch(() => undefined);
      await subscription?.close();
    },
  };
}
