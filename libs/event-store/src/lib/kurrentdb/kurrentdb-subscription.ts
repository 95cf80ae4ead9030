import type { AllStreamResolvedEvent } from '@kurrent/kurrentdb-client';
import type { EventHandler, RecordedEvent, Subscription } from '../event-store.port';
import { Backoff, WakeableWait } from '../retry/backoff';
import { isKurrentDbUnavailable } from './kurrentdb-mapping';

/** A live `$all` subscription as the client returns it (a Readable in object mode). */
export interface AllSubscriptionStream extends AsyncIterable<AllStreamResolvedEvent> {
  unsubscribe(): Promise<void>;
  destroy?(error?: Error): unknown;
}

/** What the store gives one subscription: where to subscribe, how to map, the catch-up target. */
export interface KurrentDbSubscriptionSource {
  /** Subscribes to `$all` (with the subscription's filter) after `afterPosition` (0: from the start). */
  open(afterPosition: number): AllSubscriptionStream;
  /** Maps a delivered event; null for one this subscription does not see (another namespace, system). */
  toRecordedEvent(resolved: AllStreamResolvedEvent): RecordedEvent | null;
  /** Position of the last event this subscription would see that is committed now (0: none). */
  headPosition(): Promise<number>;
}

const FIRST_RETRY_DELAY_MS = 100;
const MAX_RETRY_DELAY_MS = 5_000;

/**
 * Catch-up then live over one KurrentDB catch-up subscription to `$all` (`subscribeToAll` with
 * `fromPosition`): the server replays the log after the position and then streams new events, in
 * commit order, with the stream filter applied server-side.
 *
 * - Order and backpressure: the client's subscription is a Readable consumed with `for await`, so
 *   the next event is pulled only after the handler's promise settles.
 * - No duplicates: anything at or before the last delivered position is dropped, so a
 *   resubscription (or a server that treats the start position inclusively) never re-delivers.
 * - No gaps: after a dropped connection (unavailable, deadline, leader change) it resubscribes from
 *   the last delivered position, with backoff; the server replays whatever was committed meanwhile.
 * - `caughtUp`: the position of the last matching event committed when the subscription starts is
 *   read first; `caughtUp` resolves once the handler has been given everything up to it. (The
 *   server's own "caught up" signal travels beside the event stream, so it cannot tell when the
 *   handler — rather than the buffer — has seen everything.)
 * - A handler that throws, or a non-retryable error, stops the subscription and goes to `onError`.
 */
export class KurrentDbSubscription implements Subscription {
  readonly caughtUp: Promise<void>;
  private lastDelivered: number;
  private closed = false;
  private isCaughtUp = false;
  private current: AllSubscriptionStream | null = null;
  /** The back-off wait before resubscribing, cut short by close. */
  private readonly pause = new WakeableWait();
  private readonly running: Promise<void>;
  private resolveCaughtUp!: () => void;
  private rejectCaughtUp!: (error: unknown) => void;

  constructor(
    private readonly source: KurrentDbSubscriptionSource,
    afterPosition: number,
    private readonly handler: EventHandler,
    private readonly onError: (error: unknown) => void = reportUnhandledSubscriptionError,
    private readonly onClosed: (subscription: KurrentDbSubscription) => void = () => undefined,
  ) {
    this.lastDelivered = afterPosition;
    this.caughtUp = new Promise<void>((resolve, reject) => {
      this.resolveCaughtUp = resolve;
      this.rejectCaughtUp = reject;
    });
    // Callers that never await caughtUp must not see an unhandled rejection when we stop early.
    this.caughtUp.catch(() => undefined);
    this.running = this.run();
  }

  get position(): number {
    return this.lastDelivered;
  }

  async close(): Promise<void> {
    this.stop(new Error('Subscription closed before it caught up'));
    await this.running;
  }

  private async run(): Promise<void> {
    const backoff = new Backoff(FIRST_RETRY_DELAY_MS, MAX_RETRY_DELAY_MS);
    let catchUpTarget: number | null = null;
    while (!this.closed) {
      try {
        if (catchUpTarget === null) {
          catchUpTarget = await this.source.headPosition();
          if (catchUpTarget <= this.lastDelivered) this.markCaughtUp();
        }
        const outcome = await this.consume(this.source.open(this.lastDelivered), catchUpTarget, () => backoff.reset());
        if (outcome === 'stopped') return;
        // The server ended the subscription cleanly (e.g. it is shutting down): subscribe again.
      } catch (error) {
        if (this.closed) return;
        if (!isKurrentDbUnavailable(error)) {
          this.fail(error);
          return;
        }
      }
      if (this.closed) return;
      await this.pause.wait(backoff.next());
    }
  }

  /** Delivers from one server subscription until it ends ('ended') or we stop ('stopped'). */
  private async consume(
    stream: AllSubscriptionStream,
    catchUpTarget: number,
    onDelivered: () => void,
  ): Promise<'ended' | 'stopped'> {
    this.current = stream;
    try {
      for await (const resolved of stream) {
        if (this.closed) return 'stopped';
        const event = this.source.toRecordedEvent(resolved);
        if (!event || event.position <= this.lastDelivered) continue;
        try {
          await this.handler(event);
        } catch (error) {
          this.fail(error);
          return 'stopped';
        }
        this.lastDelivered = event.position;
        onDelivered();
        if (!this.isCaughtUp && this.lastDelivered >= catchUpTarget) this.markCaughtUp();
      }
      return this.closed ? 'stopped' : 'ended';
    } finally {
      this.current = null;
      await stream.unsubscribe().catch(() => undefined);
    }
  }

  private markCaughtUp(): void {
    if (this.isCaughtUp) return;
    this.isCaughtUp = true;
    this.resolveCaughtUp();
  }

  private fail(error: unknown): void {
    this.stop(error);
    this.onError(error);
  }

  private stop(reasonIfNotCaughtUp: unknown): void {
    if (this.closed) return;
    this.closed = true;
    if (!this.isCaughtUp) this.rejectCaughtUp(reasonIfNotCaughtUp);
    this.pause.wake();
    const current = this.current;
    if (current) {
      // Ends the `for await` in consume(): cancel the gRPC call, and end the Readable in case the
      // cancellation does not propagate to it.
      void current.unsubscribe().catch(() => undefined);
      current.destroy?.();
    }
    this.onClosed(this);
  }
}

/** Without an onError a stopped subscription would otherwise fail silently. */
function reportUnhandledSubscriptionError(error: unknown): void {
  console.error('Event store subscription stopped by an unhandled error', error);
}
