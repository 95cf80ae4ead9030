import type { EventData } from '../lib/event-store.port';
import type { EventStoreTamperer } from './event-store.contract';

/** A made-up event to slip into a stream. */
export interface ForgedEvent {
  id: string;
  type: string;
  data: EventData;
  userId: string;
  at: string;
}

/**
 * Further raw edits for the tamper-detection table (tools/verify, transfer tests): an attacker
 * with write access to the storage, not going through the store.
 */
export interface HistoryTamperer extends EventStoreTamperer {
  /**
   * Moves the events at `revision` and after one revision up and inserts a forged event at
   * `revision`, at the end of the global order, with a correct hash chained on its predecessor;
   * later events and the stream head record are left as they were.
   */
  insertForgedEvent(stream: string, revision: number, event: ForgedEvent): Promise<void>;
  /** Deletes the last `count` events of the whole log (by position), leaving the head records. */
  truncateTail(count: number): Promise<void>;
  /**
   * Replaces the data of one event and recomputes prevHash and hash of it and of every later event
   * of the stream, and the stream head record: the chain stays intact.
   */
  rewriteStreamConsistently(stream: string, revision: number, newData: (old: EventData) => EventData): Promise<void>;
}
