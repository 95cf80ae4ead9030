import type { RecordedEvent } from '../event-store.port';
import type { SubscriptionPage } from './catch-up-subscription';

type PageReader = (afterPosition: number, maxCount: number, streamPrefixes?: string[]) => SubscriptionPage | Promise<SubscriptionPage>;

/** Events read from the store per tail read (a burst larger than this takes several reads). */
const TAIL_READ = 1_000;
/** Events kept: a subscriber further behind than this reads the store itself. */
export const TAIL_CAPACITY = 4_096;

/**
 * The newest segment of the log, read ONCE per commit signal for every live subscriber whatever its
 * stream filter: without it, each distinct (position, filter) — every projection lane, the access
 * watcher, the content follower — queried the store after every commit (on PostgreSQL ≈ 560 reads/s
 * on one node under the load benchmark, queueing behind each other in the pool).
 *
 * It holds every committed event in (from, to] and nothing else, in position order. That holds
 * because positions become visible in increasing order (the premise of every subscription here):
 * a read "after `to`" returns all that was committed up to the head it saw, and nothing can commit
 * later at or below that head. It starts empty at a position a subscriber has read up to the head
 * (a short page), and only moves forward; the oldest events are dropped beyond TAIL_CAPACITY.
 *
 * A subscriber is served from it only when its position lies in [from, to] after a refresh that
 * started at or after the commit signal it is answering; otherwise it reads the store as before.
 */
export class LogTail {
  private events: RecordedEvent[] = [];
  private from = 0;
  private to = 0;
  private started = false;
  /** The commit generation at which the last completed refresh started. */
  private freshAt = -1;
  private refreshing: Promise<void> | null = null;

  constructor(private readonly readPage: PageReader) {}

  /**
   * Starts the tail at `position`, a point every event up to which is committed and known to its
   * reader (the end of a short page read at `generation`). Ignored once started.
   */
  startAt(position: number, generation: number): void {
    if (this.started || this.refreshing) return;
    this.started = true;
    this.from = position;
    this.to = position;
    this.freshAt = generation;
  }

  /**
   * The page after `afterPosition` as the store would give it, once the tail has been read after
   * commit signal `generation`; null when this position is outside the tail (the caller reads the
   * store).
   */
  async page(afterPosition: number, maxCount: number, streamPrefixes: string[] | undefined, generation: number, currentGeneration: () => number): Promise<SubscriptionPage | null> {
    if (!this.started || afterPosition < this.from) return null;
    while (this.freshAt < generation) {
      this.refreshing ??= this.refresh(currentGeneration).finally(() => (this.refreshing = null));
      await this.refreshing;
    }
    if (!this.started || afterPosition < this.from || afterPosition > this.to) return null;
    return this.slice(afterPosition, maxCount, streamPrefixes);
  }

  private async refresh(currentGeneration: () => number): Promise<void> {
    const generation = currentGeneration();
    let read = 0;
    for (;;) {
      const page = await this.readPage(this.to, TAIL_READ);
      for (const event of page.events) this.events.push(event);
      this.to = Math.max(this.to, page.scannedThrough);
      this.trim();
      read += page.events.length;
      if (page.events.length < TAIL_READ) break;
      if (read >= TAIL_CAPACITY) {
        // A burst larger than the tail (an import, a long outage): the subscribers are behind what
        // it could keep and read the store; the tail starts again where one of them next catches up.
        this.started = false;
        this.events = [];
        break;
      }
    }
    this.freshAt = generation;
  }

  private trim(): void {
    const excess = this.events.length - TAIL_CAPACITY;
    if (excess <= 0) return;
    this.from = this.events[excess - 1].position;
    this.events = this.events.slice(excess);
  }

  private slice(afterPosition: number, maxCount: number, streamPrefixes: string[] | undefined): SubscriptionPage {
    const filter = streamPrefixes && streamPrefixes.length > 0 ? streamPrefixes : null;
    const events: RecordedEvent[] = [];
    for (let index = this.firstAfter(afterPosition); index < this.events.length && events.length < maxCount; index++) {
      const event = this.events[index];
      if (!filter || filter.some((prefix) => event.stream.startsWith(prefix))) events.push(event);
    }
    const scannedThrough = events.length < maxCount ? this.to : events[events.length - 1].position;
    return { events, scannedThrough: Math.max(scannedThrough, afterPosition) };
  }

  /** Index of the first event after `position` (binary search: positions increase). */
  private firstAfter(position: number): number {
    let low = 0;
    let high = this.events.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.events[middle].position <= position) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}
