import * as Y from 'yjs';

interface Pending {
  /** The Yjs client whose structs this change created; null for a change that only deletes. */
  client: number | null;
  /** The client's clock after the change: recorded once the server's clock for it is at least this. */
  clock: number;
  /** How many user changes this stands for in "Saving… (n)". */
  weight: number;
  /** For a delete-only change: the number of acknowledgements seen when it was made. */
  acksBefore: number;
}

/**
 * Which of this device's changes the server has recorded (PROTOCOL "Recorded" acknowledgement).
 *
 * After recording a connection's edits, the server sends it a y-protocols sync-step-1 carrying the
 * server document's state vector. A change is recorded once, for the client that made it, the
 * server's clock is at least the clock the change reached. Changes restored from this device's
 * storage (y-indexeddb) count as well, under the client ids they were made with; content that was
 * stored but had come from the server is covered by the server's first state vector.
 *
 * A change that only deletes creates no struct and moves no clock: it counts as recorded with the
 * next acknowledgement received after it was made (the server sends one only when nothing of that
 * connection is left waiting, so that acknowledgement follows the deletion's batch except while the
 * deletion is still in flight).
 */
export class RecordTracker {
  private pending: Pending[] = [];
  private serverClocks = new Map<number, number>();
  private acks = 0;
  private restoredCount = 0;

  /** A change made on this device (the update as the document emitted it). */
  localChange(update: Uint8Array): void {
    const { to, from } = Y.parseUpdateMeta(update);
    let created = false;
    to.forEach((clock, client) => {
      if (clock > (from.get(client) ?? 0)) {
        created = true;
        this.pending.push({ client, clock, weight: 1, acksBefore: this.acks });
      }
    });
    if (!created) this.pending.push({ client: null, clock: 0, weight: 1, acksBefore: this.acks });
    this.prune();
  }

  /** Content restored from this device's storage: whatever of it the server has is dropped on its next state vector. */
  restored(update: Uint8Array): void {
    Y.parseUpdateMeta(update).to.forEach((clock, client) => {
      this.pending.push({ client, clock, weight: 0, acksBefore: this.acks });
    });
    this.prune();
  }

  /** The number of unsynced changes stored with the restored content (shown while it is unrecorded). */
  restoredUnsynced(count: number): void {
    if (this.pending.some((change) => change.weight === 0)) this.restoredCount = Math.max(this.restoredCount, count);
  }

  /** A state vector the server sent (sync-step-1): what it has recorded. */
  serverStateVector(stateVector: Map<number, number>): void {
    this.acks++;
    stateVector.forEach((clock, client) => {
      this.serverClocks.set(client, Math.max(clock, this.serverClocks.get(client) ?? 0));
    });
    this.pending = this.pending.filter((change) => !(change.client === null && change.acksBefore < this.acks));
    this.prune();
  }

  /** True while some change made or restored on this device is not known to be recorded. */
  hasUnrecorded(): boolean {
    return this.pending.length > 0;
  }

  /** The number of such changes ("Saving… (n)"); at least 1 while there are any. */
  unrecordedCount(): number {
    if (this.pending.length === 0) return 0;
    const restored = this.pending.some((change) => change.weight === 0) ? this.restoredCount : 0;
    return Math.max(1, this.pending.reduce((sum, change) => sum + change.weight, 0) + restored);
  }

  private prune(): void {
    this.pending = this.pending.filter((change) => change.client === null || (this.serverClocks.get(change.client) ?? 0) < change.clock);
    if (!this.pending.some((change) => change.weight === 0)) this.restoredCount = 0;
  }
}
