import { parseUpdateV1 } from '@concord/content';
import { RecordedEvent, WrongExpectedRevisionError } from '@concord/event-store';
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { FenceState, foldAccessMarker, OPEN_FENCE, parseAccessMarker, writeRefusal } from './access-fence';
import type { AwarenessRelay } from './cluster/awareness-relay';
import { CollabLogger, describeError } from './logger';
import { isContentAccessChanged, toContentUpdate, UpdateKind } from './persistence/content-events';
import { ContentReader, ContentSnapshotSource } from './persistence/content-reader';
import { ContentWriter } from './persistence/content-writer';
import { buildDocumentFrom, encodeCheckpointFrom } from './persistence/document-builder';
import {
  AwarenessEntry,
  encodeAllAwarenessStates,
  encodeAwarenessMessage,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeSyncUpdate,
  RefusalCode,
} from './protocol/collab-messages';
import { SerialQueue } from './serial-queue';
import { PreparedUpdate, prepareUpdate } from './update-preparation';

/** A receiver of a live document's traffic: one WebSocket connection. */
export interface DocumentPeer {
  readonly connectionId: string;
  readonly userId: string;
  /** The `user` field others see in this connection's awareness states. */
  readonly presence: Presence;
  send(message: Uint8Array): void;
  /** Ends the connection; the stock client reconnects and resyncs unless the code says otherwise. */
  disconnect(code: number, reason: string): void;
  /** A fence marker took this peer's user's right to write away (told at once, before any re-decision). */
  writesClosed?(reason: string): void;
}

export interface EditRequest {
  /**
   * The update, or a function computing it from the live document at the moment it is recorded
   * (a restore must be computed against exactly the state it is appended after); null: no change.
   */
  readonly update: Uint8Array | ((doc: Y.Doc) => Uint8Array | null);
  readonly userId: string;
  readonly kind: UpdateKind;
  /** The connection it came from: it already has the change, so it is not sent back. */
  readonly origin?: DocumentPeer;
}

export interface EditResult {
  /** False when the update changed nothing (or was refused) and so was not recorded. */
  readonly recorded: boolean;
  /** The content revision after the edit. */
  readonly revision: number;
  /** Why the update was refused, as `<code>: <sentence>` (PROTOCOL.md); absent when it was not. */
  readonly refused?: string;
  readonly refusal?: { readonly code: RefusalCode; readonly reason: string };
}

export interface LiveDocumentContext {
  readonly reader: ContentReader;
  readonly writer: ContentWriter;
  readonly relay: AwarenessRelay;
  readonly logger: CollabLogger;
  readonly checkpointEvery: number;
  /** Most awareness client ids one connection may speak for. */
  readonly maxAwarenessClientsPerPeer: number;
  /** Largest encoded (JSON) awareness state of one client id. */
  readonly maxAwarenessStateBytes: number;
  /** Largest encoded document state an edit may produce (default 10 MiB). */
  readonly maxDocumentBytes?: number;
}

const DEFAULT_MAX_DOCUMENT_BYTES = 10 * 1024 * 1024;

function refusal(code: RefusalCode, reason: string): Pick<EditResult, 'refused' | 'refusal'> {
  return { refused: `${code}: ${reason}`, refusal: { code, reason } };
}

/** Origins for Y.Doc and Awareness changes that did not come from a local connection. */
const FROM_LOG = Symbol('from-log');
const FROM_SERVER = Symbol('from-server');
const FROM_OTHER_NODE = Symbol('from-other-node');
const PEER_LEFT = Symbol('peer-left');

/** Appends lost to another node's append are retried after catching up; more means something is wrong. */
const MAX_APPEND_ATTEMPTS = 8;
/** Most edits recorded by one append. */
const MAX_BATCH_EDITS = 256;

interface PendingEdit {
  readonly edit: EditRequest;
  resolve(result: EditResult): void;
  reject(error: unknown): void;
}

interface BatchMember {
  readonly pending: PendingEdit;
  readonly prepared: PreparedUpdate;
  readonly revision: number;
}

interface PreparedBatch {
  readonly members: BatchMember[];
  /** Outcomes of consumed edits that are not members (no-ops, refusals), given the revision after the batch. */
  readonly settlements: Array<(revision: number) => void>;
  /** How many edits from the front of the pending list this batch decided. */
  readonly consumed: number;
}

function overlapsBatch(
  prepared: PreparedUpdate,
  batchEnds: ReadonlyMap<number, number>,
  batchDeletes: ReadonlyArray<{ client: number; clock: number; end: number }>,
): boolean {
  for (const struct of prepared.structs) {
    const end = batchEnds.get(struct.client);
    if (end !== undefined && struct.clock < end) return true;
  }
  for (const range of prepared.deletes) {
    const rangeEnd = range.clock + range.length;
    if (batchDeletes.some((taken) => taken.client === range.client && range.clock < taken.end && taken.clock < rangeEnd)) {
      return true;
    }
  }
  return false;
}

export type AwarenessVerdict = { readonly accepted: true } | { readonly accepted: false; readonly reason: string };

export type AwarenessCheck =
  | { readonly ok: true; readonly own: readonly AwarenessEntry[]; readonly claim: string | null }
  | { readonly ok: false; readonly code: 'too-large' | 'invalid'; readonly reason: string };

/** Who a connection is to the others: set by the server from the signed-in user, never by the client. */
export interface Presence {
  readonly name: string;
  /** `#rrggbb`, from the user id (`authorColor`). */
  readonly color: string;
}

/**
 * One open proposal on this node: the Y.Doc every connection syncs against, their awareness, and the
 * single ordered path by which the document changes:
 *
 *   prepare (drop no-ops) → append ContentUpdated → apply to the Y.Doc → broadcast.
 *
 * Every change (local edits, events other nodes appended, checkpoint appends) runs on one serial
 * queue, so the stream revision this document knows is exact and appends carry it as the expected
 * revision. Nothing reaches another connection before the store has it.
 */
export class LiveDocument {
  readonly doc: Y.Doc;
  readonly awareness: awarenessProtocol.Awareness;
  private readonly peers = new Set<DocumentPeer>();
  /** Which connection speaks for each awareness client id (a client cannot impersonate another). */
  private readonly awarenessOwners = new Map<number, DocumentPeer>();
  /**
   * The user whose recorded update first carried structs of each Yjs client id (known for updates
   * recorded or read since load). A connection may not add structs under another user's client id:
   * Yjs would take them as that client's own and drop the real ones as duplicates.
   */
  private readonly structAuthors = new Map<number, string>();
  private readonly queue = new SerialQueue();
  private readonly pendingEdits: PendingEdit[] = [];
  private flushScheduled = false;
  private checkpoints: Promise<void> = Promise.resolve();
  private pendingCheckpoints = 0;
  private contentRevisionValue: number;
  /** Stream revision of the newest content event this document reflects (-1: empty stream). */
  private streamRevision: number;
  private destroyedValue = false;
  /** Who may no longer write, folded from the stream's ContentAccessChanged markers. */
  private fence: FenceState;
  /**
   * An upper estimate of the encoded state's size: exact at load and whenever it nears the limit,
   * plus the length of each recorded update in between (deletions only make the real size smaller).
   */
  private encodedBytesEstimate: number;
  /** Holders (connections, in-flight service calls) that keep the document from being evicted. */
  pins = 0;
  /** Called once when the document ends, whatever the reason (eviction, shutdown, a failed apply). */
  onDestroyed: (() => void) | null = null;

  private constructor(
    readonly proposalId: string,
    doc: Y.Doc,
    source: ContentSnapshotSource,
    private readonly context: LiveDocumentContext,
  ) {
    this.doc = doc;
    this.contentRevisionValue = source.revision;
    this.streamRevision = source.headStreamRevision;
    this.fence = source.fence ?? OPEN_FENCE;
    this.encodedBytesEstimate = Y.encodeStateAsUpdate(doc).length;
    this.awareness = new awarenessProtocol.Awareness(doc);
    // The server is not a participant: it has no presence of its own.
    this.awareness.setLocalState(null);
    for (const update of source.updates) this.noteAuthor(update.update, update.userId);
    this.doc.on('update', this.broadcastDocumentUpdate);
    this.awareness.on('update', this.broadcastAwarenessUpdate);
    context.relay.join(proposalId, this.applyAwarenessFromOtherNode);
  }

  /** Loads the newest checkpoint plus the updates after it. */
  static async load(proposalId: string, context: LiveDocumentContext): Promise<LiveDocument> {
    const source = await context.reader.snapshotSource(proposalId);
    return new LiveDocument(proposalId, buildDocumentFrom(source), source, context);
  }

  get contentRevision(): number {
    return this.contentRevisionValue;
  }

  get destroyed(): boolean {
    return this.destroyedValue;
  }

  get peerCount(): number {
    return this.peers.size;
  }

  /** Nothing queued, no checkpoint being written: safe to evict. */
  get quiescent(): boolean {
    return this.queue.idle && this.pendingCheckpoints === 0;
  }

  /** Why this user may not write here now (a fence marker), or null. */
  writeRefusalFor(userId: string): string | null {
    return writeRefusal(this.fence, userId);
  }

  /**
   * Tells a peer "what you sent so far is recorded": a SyncStep1 with the document's state vector
   * (PROTOCOL.md). The stock client answers with a SyncStep2 of what the server lacks, which is
   * nothing or edits still queued here: both are no-ops by the time they are decided.
   */
  acknowledgeRecorded(peer: DocumentPeer): void {
    if (this.destroyedValue || !this.peers.has(peer)) return;
    peer.send(encodeSyncStep1(this.doc));
  }

  addPeer(peer: DocumentPeer): void {
    this.peers.add(peer);
    peer.send(encodeSyncStep1(this.doc));
    const presence = encodeAllAwarenessStates(this.awareness);
    if (presence) peer.send(presence);
  }

  removePeer(peer: DocumentPeer): void {
    if (!this.peers.delete(peer)) return;
    const owned = [...this.awarenessOwners].filter(([, owner]) => owner === peer).map(([clientId]) => clientId);
    for (const clientId of owned) this.awarenessOwners.delete(clientId);
    if (owned.length > 0 && !this.destroyedValue) {
      awarenessProtocol.removeAwarenessStates(this.awareness, owned, PEER_LEFT);
    }
  }

  answerSyncStep1(peer: DocumentPeer, stateVector: Uint8Array): void {
    peer.send(encodeSyncStep2(this.doc, stateVector));
  }

  sendAllAwarenessStates(peer: DocumentPeer): void {
    const presence = encodeAllAwarenessStates(this.awareness);
    if (presence) peer.send(presence);
  }

  /** True when the (validated) update would change the document; read-only peers use it to report. */
  wouldChange(update: Uint8Array): boolean {
    return prepareUpdate(this.doc, update) !== null;
  }

  /**
   * Records and applies one validated update. Resolves once it is in the store, in the document and
   * sent to the other connections; rejects when the store refused it (the update is then nowhere).
   */
  submitEdit(edit: EditRequest): Promise<EditResult> {
    if (this.destroyedValue) return Promise.reject(new Error(`Document ${this.proposalId} is closed`));
    return new Promise<EditResult>((resolve, reject) => {
      this.pendingEdits.push({ edit, resolve, reject });
      this.scheduleFlush();
    });
  }

  /**
   * Sorts the entries of an awareness update a connection sent. The stock client re-broadcasts every
   * awareness change it hears, so entries for other connections' client ids are usually echoes (a
   * clock the server already has): those are left out silently. An entry that claims a newer state
   * for a client id another user's connection owns (or the server's own) is left out and reported
   * as `claim`. What remains (`own`) are the connection's own changes, to be rate-limited by the
   * connection and then applied with `applyOwnAwareness`. Refused outright: an own state over the
   * size limit (`too-large`), one that is not an object, or more client ids than a connection may
   * speak for (`invalid`).
   */
  checkAwareness(peer: DocumentPeer, entries: readonly AwarenessEntry[]): AwarenessCheck {
    const own: AwarenessEntry[] = [];
    let claim: string | null = null;
    for (const entry of entries) {
      const owner = this.awarenessOwners.get(entry.clientId);
      const foreign = entry.clientId === this.doc.clientID || (owner && owner !== peer && owner.userId !== peer.userId);
      const knownClock = this.awareness.meta.get(entry.clientId)?.clock ?? -1;
      if (foreign) {
        if (entry.clock > knownClock || entry.clientId === this.doc.clientID) {
          claim = entry.clientId === this.doc.clientID ? 'claims the server client id' : `client id ${entry.clientId} belongs to another connection`;
        }
        continue;
      }
      // An echo of what the server already holds (the stock client repeats what it hears) is no change.
      if (entry.clock < knownClock || (entry.clock === knownClock && entry.state !== null)) continue;
      if (entry.stateBytes > this.context.maxAwarenessStateBytes) {
        return {
          ok: false,
          code: 'too-large',
          reason: `Your presence (awareness state) is ${entry.stateBytes} bytes; the limit is ${this.context.maxAwarenessStateBytes} bytes.`,
        };
      }
      if (entry.state !== null && (typeof entry.state !== 'object' || Array.isArray(entry.state))) {
        return { ok: false, code: 'invalid', reason: 'An awareness state must be a JSON object or null.' };
      }
      own.push(entry);
    }
    const alreadyOwned = [...this.awarenessOwners.values()].filter((owner) => owner === peer).length;
    const newlyClaimed = new Set(own.filter((entry) => this.awarenessOwners.get(entry.clientId) !== peer).map((entry) => entry.clientId)).size;
    if (alreadyOwned + newlyClaimed > this.context.maxAwarenessClientsPerPeer) {
      return { ok: false, code: 'invalid', reason: `A connection may speak for at most ${this.context.maxAwarenessClientsPerPeer} awareness client ids.` };
    }
    return { ok: true, own, claim };
  }

  /**
   * Applies a connection's own awareness changes (from `checkAwareness`), with the `user` field of
   * every state replaced by the connection's server-set presence: others see the signed-in name and
   * the colour derived from the user id, whatever the client claimed.
   */
  applyOwnAwareness(peer: DocumentPeer, own: readonly AwarenessEntry[]): AwarenessVerdict {
    if (this.destroyedValue || own.length === 0 || !this.peers.has(peer)) return { accepted: true };
    // The same user reconnecting (the old socket not yet noticed as dead) takes its client id over.
    for (const entry of own) this.awarenessOwners.set(entry.clientId, peer);
    const rewritten = own.map((entry) => ({
      ...entry,
      state: entry.state === null ? null : { ...(entry.state as Record<string, unknown>), user: { ...peer.presence } },
    }));
    try {
      awarenessProtocol.applyAwarenessUpdate(this.awareness, encodeAwarenessEntries(rewritten), peer);
    } catch (error) {
      return { accepted: false, reason: `awareness update cannot be applied: ${String(error)}` };
    }
    for (const entry of own) if (entry.state === null) this.awarenessOwners.delete(entry.clientId);
    return { accepted: true };
  }

  /**
   * A content event from the store subscription (possibly our own, possibly another node's). Events
   * this document already reflects are ignored by stream revision, which also covers our own appends.
   */
  onStoreEvent(event: RecordedEvent): void {
    if (this.destroyedValue || event.revision <= this.streamRevision) return;
    this.queue
      .run(async () => {
        if (this.destroyedValue || event.revision <= this.streamRevision) return;
        if (event.revision === this.streamRevision + 1) this.incorporate(event);
        else await this.catchUp();
      })
      .catch((error) => this.context.logger.error({ proposalId: this.proposalId, ...describeError(error) }, 'catch-up from the store failed'));
  }

  /** Reads whatever the store has beyond what this document reflects (closes load/subscribe gaps). */
  scheduleCatchUp(): void {
    this.queue
      .run(() => (this.destroyedValue ? undefined : this.catchUp()))
      .catch((error) => this.context.logger.error({ proposalId: this.proposalId, ...describeError(error) }, 'catch-up from the store failed'));
  }

  /** Resolves once queued edits and checkpoint writes have settled. */
  async settle(): Promise<void> {
    do {
      await this.queue.drained();
      await this.checkpoints;
    } while (!this.quiescent);
  }

  /** Ends the document on this node: connections are told to reconnect, which reloads it. */
  destroy(closeCode = 1001, reason = 'document closed'): void {
    if (this.destroyedValue) return;
    this.destroyedValue = true;
    this.context.relay.leave(this.proposalId);
    for (const peer of [...this.peers]) peer.disconnect(closeCode, reason);
    this.peers.clear();
    this.awarenessOwners.clear();
    this.doc.off('update', this.broadcastDocumentUpdate);
    this.awareness.off('update', this.broadcastAwarenessUpdate);
    this.awareness.destroy();
    this.doc.destroy();
    this.onDestroyed?.();
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    this.queue
      .run(() => this.flushEdits())
      .catch((error) => this.context.logger.error({ proposalId: this.proposalId, ...describeError(error) }, 'flushing edits failed'));
  }

  /**
   * Group commit: the edits waiting when this runs are recorded by one append (one transaction, one
   * fsync), each as its own attributed event with consecutive revisions, then applied and broadcast
   * in order. Leftovers get the next turn of the queue, after any store events waiting there.
   */
  private async flushEdits(): Promise<void> {
    this.flushScheduled = false;
    for (let attempt = 1; ; attempt++) {
      if (this.destroyedValue) {
        for (const pending of this.pendingEdits.splice(0)) pending.reject(new Error(`Document ${this.proposalId} is closed`));
        return;
      }
      const batch = this.prepareBatch();
      if (batch.members.length === 0) {
        this.pendingEdits.splice(0, batch.consumed);
        for (const settle of batch.settlements) settle(this.contentRevisionValue);
        break;
      }
      let appended;
      try {
        appended = await this.context.writer.appendUpdates(
          this.proposalId,
          batch.members.map(({ pending, prepared, revision }) => ({
            update: prepared.update,
            userId: pending.edit.userId,
            kind: pending.edit.kind,
            revision,
            clientIds: prepared.clientIds,
          })),
          this.streamRevision,
        );
      } catch (error) {
        if (error instanceof WrongExpectedRevisionError && attempt < MAX_APPEND_ATTEMPTS) {
          // Another node appended first: take its events, then decide again (some may be no-ops now).
          await this.catchUp();
          continue;
        }
        const failed = new Set(batch.members.map((member) => member.pending));
        const consumed = this.pendingEdits.splice(0, batch.consumed);
        for (const pending of consumed) if (failed.has(pending)) pending.reject(error);
        for (const settle of batch.settlements) settle(this.contentRevisionValue);
        break;
      }
      this.pendingEdits.splice(0, batch.consumed);
      this.streamRevision = appended.nextExpectedRevision;
      const base = this.contentRevisionValue;
      for (const { pending, prepared, revision } of batch.members) {
        // Recorded either way; if the document was dropped for a reload, the reload has them.
        if (!this.destroyedValue) {
          this.contentRevisionValue = revision;
          for (const clientId of prepared.clientIds) if (!this.structAuthors.has(clientId)) this.structAuthors.set(clientId, pending.edit.userId);
          this.apply(prepared.update, pending.edit.origin ?? FROM_SERVER);
          this.encodedBytesEstimate += prepared.update.length;
        }
        pending.resolve({ recorded: true, revision });
      }
      for (const settle of batch.settlements) settle(this.contentRevisionValue);
      const last = batch.members[batch.members.length - 1].revision;
      for (let revision = base + 1; revision <= last; revision++) {
        if (revision % this.context.checkpointEvery === 0) this.scheduleCheckpoint(revision);
      }
      break;
    }
    if (this.pendingEdits.length > 0) this.scheduleFlush();
  }

  /**
   * Chooses the next batch from the front of the pending edits, each prepared against the document
   * as it will be when the earlier members are applied. An edit that overlaps an earlier member
   * (same clocks, or deleting the same range) ends the batch: it is decided once that member is in
   * the document, so no-op detection and trimming stay exact. A computed edit (restore) goes alone.
   */
  private prepareBatch(): PreparedBatch {
    const members: BatchMember[] = [];
    const settlements: Array<(revision: number) => void> = [];
    const batchEnds = new Map<number, number>();
    const batchDeletes: Array<{ client: number; clock: number; end: number }> = [];
    const maxDocumentBytes = this.context.maxDocumentBytes ?? DEFAULT_MAX_DOCUMENT_BYTES;
    let batchBytes = 0;
    let consumed = 0;
    for (const pending of this.pendingEdits) {
      if (members.length >= MAX_BATCH_EDITS) break;
      const { edit } = pending;
      const computed = typeof edit.update === 'function';
      if (computed && members.length > 0) break;
      let update: Uint8Array | null;
      try {
        update = typeof edit.update === 'function' ? edit.update(this.doc) : edit.update;
      } catch (error) {
        consumed += 1;
        settlements.push(() => pending.reject(error));
        continue;
      }
      const prepared = update && prepareUpdate(this.doc, update);
      if (prepared && overlapsBatch(prepared, batchEnds, batchDeletes)) break;
      consumed += 1;
      if (!prepared) {
        settlements.push((revision) => pending.resolve({ recorded: false, revision }));
        continue;
      }
      const closedBecause = edit.kind === 'seed' ? null : writeRefusal(this.fence, edit.userId);
      if (closedBecause !== null) {
        settlements.push((revision) => pending.resolve({ recorded: false, revision, ...refusal('read-only', closedBecause) }));
        continue;
      }
      const refused = edit.origin ? this.foreignClientId(prepared, edit.userId, members) : undefined;
      if (refused !== undefined) {
        settlements.push((revision) =>
          pending.resolve({ recorded: false, revision, ...refusal('invalid', `The update writes under client id ${refused} of another user.`) }),
        );
        continue;
      }
      if (this.encodedBytesEstimate + batchBytes + prepared.update.length > maxDocumentBytes) {
        // Only the estimate is over: measure (rarely, near the limit) before refusing.
        if (members.length === 0) this.encodedBytesEstimate = Y.encodeStateAsUpdate(this.doc).length;
        if (this.encodedBytesEstimate + batchBytes + prepared.update.length > maxDocumentBytes) {
          settlements.push((revision) =>
            pending.resolve({
              recorded: false,
              revision,
              ...refusal('too-large', `The document would exceed ${maxDocumentBytes} bytes; this change was not recorded.`),
            }),
          );
          continue;
        }
      }
      batchBytes += prepared.update.length;
      members.push({ pending, prepared, revision: this.contentRevisionValue + members.length + 1 });
      for (const struct of prepared.structs) {
        batchEnds.set(struct.client, Math.max(batchEnds.get(struct.client) ?? 0, struct.clock + struct.length));
      }
      for (const range of prepared.deletes) batchDeletes.push({ client: range.client, clock: range.clock, end: range.clock + range.length });
      if (computed) break;
    }
    return { members, settlements, consumed };
  }

  /** A client id in the update that another user (recorded, or earlier in this batch) writes with. */
  private foreignClientId(prepared: PreparedUpdate, userId: string, batch: readonly BatchMember[]): number | undefined {
    return prepared.clientIds.find((clientId) => {
      const author =
        this.structAuthors.get(clientId) ??
        batch.find((member) => member.prepared.clientIds.includes(clientId))?.pending.edit.userId;
      return author !== undefined && author !== userId;
    });
  }

  private async catchUp(): Promise<void> {
    for (;;) {
      const events = await this.context.reader.eventsFrom(this.proposalId, this.streamRevision + 1);
      for (const event of events) {
        if (event.revision <= this.streamRevision) continue;
        this.incorporate(event);
      }
      if (events.length === 0 || this.destroyedValue) return;
    }
  }

  /** Applies a content event read from the store (checkpoints only move the stream revision). */
  private incorporate(event: RecordedEvent): void {
    const update = toContentUpdate(event);
    if (update) {
      this.noteAuthor(update.update, update.userId);
      this.apply(update.update, FROM_LOG);
      this.encodedBytesEstimate += update.update.length;
      this.contentRevisionValue = Math.max(this.contentRevisionValue, update.revision);
    }
    this.streamRevision = event.revision;
    const marker = isContentAccessChanged(event) ? parseAccessMarker(event.data) : null;
    if (marker) this.foldFence(marker);
  }

  private foldFence(marker: Parameters<typeof foldAccessMarker>[1]): void {
    this.fence = foldAccessMarker(this.fence, marker);
    this.context.logger.info({ proposalId: this.proposalId, marker }, 'content write fence changed');
    if (marker.writes !== 'closed') return;
    for (const peer of [...this.peers]) {
      const reason = writeRefusal(this.fence, peer.userId);
      if (reason !== null) peer.writesClosed?.(reason);
    }
  }

  private noteAuthor(update: Uint8Array, userId: string): void {
    try {
      for (const struct of parseUpdateV1(update).structs) {
        if (struct.kind !== 'skip' && !this.structAuthors.has(struct.client)) this.structAuthors.set(struct.client, userId);
      }
    } catch {
      // A stored update that does not parse is reported when it fails to apply.
    }
  }

  private apply(update: Uint8Array, origin: unknown): void {
    try {
      Y.applyUpdate(this.doc, update, origin);
    } catch (error) {
      // Validated updates apply; if one does not, the live copy can no longer be trusted to match
      // the log. Drop it: every client reconnects and the document reloads from the store.
      this.context.logger.error(
        { proposalId: this.proposalId, ...describeError(error) },
        'recorded update failed to apply; reloading the document',
      );
      this.destroy(1011, 'document reloading');
    }
  }

  private scheduleCheckpoint(revision: number): void {
    this.pendingCheckpoints += 1;
    // Off the hot path: the edit is already recorded, applied and broadcast.
    this.checkpoints = this.checkpoints
      .then(() => this.writeCheckpoint(revision))
      .catch((error) =>
        this.context.logger.error(
          { proposalId: this.proposalId, revision, ...describeError(error) },
          'writing a content checkpoint failed',
        ),
      )
      .finally(() => {
        this.pendingCheckpoints -= 1;
      });
  }

  /**
   * Builds revision r from the store (previous checkpoint + updates up to r) and appends its state.
   * The read starts at revision r's event, not at the stream's head, so a checkpoint that runs
   * behind the typing does not re-read everything written since.
   */
  private async writeCheckpoint(revision: number): Promise<void> {
    const source = await this.context.reader.snapshotSourceAt(this.proposalId, revision);
    if (source?.checkpoint?.revision === revision) return;
    if (!source || source.revision !== revision) {
      this.context.logger.warn(
        { proposalId: this.proposalId, revision, found: source?.revision ?? null },
        'content stream does not hold the revision to checkpoint',
      );
      return;
    }
    const state = encodeCheckpointFrom(source);
    await this.queue.run(async () => {
      for (let attempt = 1; ; attempt++) {
        try {
          const appended = await this.context.writer.appendCheckpoint(
            this.proposalId,
            { state, revision, fence: this.fence },
            this.streamRevision,
          );
          this.streamRevision = appended.nextExpectedRevision;
          return;
        } catch (error) {
          if (!(error instanceof WrongExpectedRevisionError) || attempt >= MAX_APPEND_ATTEMPTS) throw error;
          await this.catchUp();
        }
      }
    });
  }

  private readonly broadcastDocumentUpdate = (update: Uint8Array, origin: unknown): void => {
    const message = encodeSyncUpdate(update);
    for (const peer of this.peers) if (peer !== origin) peer.send(message);
  };

  private readonly broadcastAwarenessUpdate = (
    changes: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ): void => {
    const changed = [...changes.added, ...changes.updated, ...changes.removed];
    if (changed.length === 0) return;
    const update = awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed);
    const message = encodeAwarenessMessage(update);
    for (const peer of this.peers) if (peer !== origin) peer.send(message);
    const fromThisNode = origin === PEER_LEFT || this.peers.has(origin as DocumentPeer);
    if (fromThisNode) this.context.relay.publish(this.proposalId, update);
  };

  private readonly applyAwarenessFromOtherNode = (update: Uint8Array): void => {
    if (this.destroyedValue) return;
    try {
      awarenessProtocol.applyAwarenessUpdate(this.awareness, update, FROM_OTHER_NODE);
    } catch (error) {
      this.context.logger.warn({ proposalId: this.proposalId, ...describeError(error) }, 'ignored a malformed awareness update from another node');
    }
  };
}

/** An awareness update (y-protocols format) holding only the given entries. */
function encodeAwarenessEntries(entries: readonly AwarenessEntry[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, entries.length);
  for (const entry of entries) {
    encoding.writeVarUint(encoder, entry.clientId);
    encoding.writeVarUint(encoder, entry.clock);
    encoding.writeVarString(encoder, JSON.stringify(entry.state));
  }
  return encoding.toUint8Array(encoder);
}
