import type { EventData } from '../lib/event-store.port';

/**
 * Raw edits on an adapter's storage, bypassing the store, to prove that verifyEventStore notices
 * them. None of them touches the stream head record unless it says so.
 */
export interface EventStoreTamperer {
  /** Flips one bit in the middle of the stored payload of the event at `revision`. */
  flipDataByte(stream: string, revision: number): Promise<void>;
  /** Overwrites one stored metadata field, keeping the stored hash. */
  setMetadataField(stream: string, revision: number, field: string, value: string): Promise<void>;
  /** Exchanges the stored payloads of two events of a stream. */
  swapPayloads(stream: string, revisionA: number, revisionB: number): Promise<void>;
  /** Exchanges the revisions of two events of a stream, i.e. their order. */
  swapOrder(stream: string, revisionA: number, revisionB: number): Promise<void>;
  /** Deletes one event, leaving the stream head record as it was. */
  deleteEvent(stream: string, revision: number): Promise<void>;
}

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
