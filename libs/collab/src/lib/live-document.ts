import { blockIdRepairUpdate, blocksNeedingIds, parseUpdateV1, unusedClientId } from '@concord/content';
import { RecordedEvent, WrongExpectedRevisionError } from '@concord/event-store';
import { Mutex } from 'async-mutex';
import * as Y from 'yjs';
import { AccessMarker, FenceState, foldAccessMarker, parseAccessMarker, writeRefusal } from './access-fence';
import { EditDecision, planBatch, PlanningState, settlementOf } from './batch-planning';
import type { AwarenessRelay } from './cluster/awareness-relay';
import { AwarenessCheck, AwarenessLimits, AwarenessVerdict, DocumentAwareness } from './document-awareness';
import type { DocumentPeer, EditRequest, EditResult } from './document-peer';
import { CollabLogger, describeError } from './logger';
import { isContentAccessChanged, toContentUpdate } from './persistence/content-events';
import { ContentReader } from './persistence/content-reader';
import { ContentWriter, SYSTEM_USER_ID } from './persistence/content-writer';
import { buildDocumentFrom } from './persistence/document-builder';
import { AwarenessEntry, encodeSyncStep1, encodeSyncStep2, encodeSyncUpdate } from './protocol/collab-messages';
import { Snapshotter } from './snapshotter';
import { prepareUpdate } from './update-preparation';

export type { AwarenessCheck, AwarenessVerdict } from './document-awareness';
export type { DocumentPeer, EditRequest, EditResult, Presence } from './document-peer';

export interface LiveDocumentContext extends AwarenessLimits {
  readonly reader: ContentReader;
  readonly writer: ContentWriter;
  readonly relay: AwarenessRelay;
  readonly logger: CollabLogger;
  /** A snapshot every K content revisions. */
  readonly snapshotEvery: number;
  /**
   * Shared by every document of the node: one snapshot built at a time. Texts edited at the same
   * pace reach revision K together; built at once, fifty of them held the event loop for seconds.
   */
  readonly snapshotQueue: Mutex;
  /** Largest encoded document state an edit may produce (default 10 MiB). */
  readonly maxDocumentBytes?: number;
}

const DEFAULT_MAX_DOCUMENT_BYTES = 10 * 1024 * 1024;
/** Appends lost to another node's append are retried after catching up; more means something is wrong. */
const MAX_APPEND_ATTEMPTS = 8;
/**
 * Only an update that creates shared types (a new paragraph: 'type') or sets attributes (an id:
 * 'any') can leave a block without its own id; typing ('string', 'format') and deleting cannot, so
 * the document is not walked for them (a 2,000-paragraph document takes about 1.3 ms to walk).
 */
function mayAffectBlockIds(structs: readonly { readonly kind: string }[]): boolean {
  return structs.some((struct) => struct.kind === 'type' || struct.kind === 'any');
}

/** Origins of Y.Doc changes that did not come from a connection of this node. */
const FROM_LOG = Symbol('from-log');
const FROM_SERVER = Symbol('from-server');

interface PendingEdit {
  readonly edit: EditRequest;
  resolve(result: EditResult): void;
  reject(error: unknown): void;
}

/**
 * One open proposal on this node: the Y.Doc every connection syncs against and the single ordered
 * path by which it changes:
 *
 *   receive (submitEdit) → plan the batch (batch-planning.ts) → append ContentUpdated events with the
 *   expected stream revision → apply to the Y.Doc → broadcast (the Y.Doc's 'update' handler).
 *
 * Every change — local edits, events other nodes appended, write fence markers — runs under one
 * mutex, so `streamRevision` is exact and appends carry it as the expected revision; nothing reaches
 * another connection before the store has it. The content stream holds updates and markers, so the
 * document knows both counters: the stream revision (for appends) and the content revision (updates
 * only). Presence is DocumentAwareness's, snapshots the Snapshotter's, pins the DocumentRegistry's.
 */
export class LiveDocument {
  readonly doc: Y.Doc;
  private readonly peers = new Set<DocumentPeer>();
  private readonly presence: DocumentAwareness;
  private readonly snapshots: Snapshotter;
  /** The user whose recorded update first carried structs of each Yjs client id (since load). */
  private readonly structAuthors = new Map<number, string>();
  private readonly mutex = new Mutex();
  private readonly pendingEdits: PendingEdit[] = [];
  private flushScheduled = false;
  private contentRevisionValue: number;
  /** Stream revision of the newest content stream event this document reflects (-1: empty stream). */
  private streamRevision: number;
  private destroyedValue = false;
  /** Who may no longer write, folded from the stream's ContentAccessChanged markers. */
  private fence: FenceState;
  /** An upper estimate of the encoded state's size: exact at load, plus each recorded update's length. */
  private encodedBytesEstimate: number;
  /** Called once when the document ends, whatever the reason (eviction, shutdown, a failed apply). */
  onDestroyed: (() => void) | null = null;

  private constructor(
    readonly proposalId: string,
    source: NonNullable<Awaited<ReturnType<ContentReader['source']>>>,
    private readonly context: LiveDocumentContext,
  ) {
    this.doc = buildDocumentFrom(source);
    this.contentRevisionValue = source.revision;
    this.streamRevision = source.headStreamRevision;
    this.fence = source.fence;
    this.encodedBytesEstimate = Y.encodeStateAsUpdate(this.doc).length;
    for (const update of source.updates) this.noteAuthor(update.update, update.userId);
    this.presence = new DocumentAwareness(proposalId, this.doc, this.peers, context.relay, context, context.logger);
    this.snapshots = new Snapshotter(proposalId, { ...context, every: context.snapshotEvery, queue: context.snapshotQueue });
    this.doc.on('update', this.broadcastDocumentUpdate);
  }

  /** Loads the newest snapshot plus the updates (and fence markers) after it. */
  static async load(proposalId: string, context: LiveDocumentContext): Promise<LiveDocument> {
    const source = await context.reader.source(proposalId);
    return new LiveDocument(proposalId, source as NonNullable<typeof source>, context);
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

  /** Nothing queued, no snapshot being written: safe to evict. */
  get quiescent(): boolean {
    return !this.mutex.isLocked() && !this.flushScheduled && this.snapshots.idle;
  }

  /** Why this user may not write here now (a fence marker), or null. */
  writeRefusalFor(userId: string): string | null {
    return writeRefusal(this.fence, userId);
  }

  addPeer(peer: DocumentPeer): void {
    this.peers.add(peer);
    peer.send(encodeSyncStep1(this.doc));
    this.presence.sendAll(peer);
  }

  removePeer(peer: DocumentPeer): void {
    if (this.peers.delete(peer)) this.presence.removePeer(peer);
  }

  /** "What you sent so far is recorded": a SyncStep1 with the document's state vector (PROTOCOL.md). */
  acknowledgeRecorded(peer: DocumentPeer): void {
    if (!this.destroyedValue && this.peers.has(peer)) peer.send(encodeSyncStep1(this.doc));
  }

  answerSyncStep1(peer: DocumentPeer, stateVector: Uint8Array): void {
    peer.send(encodeSyncStep2(this.doc, stateVector));
  }

  sendAllAwarenessStates(peer: DocumentPeer): void {
    this.presence.sendAll(peer);
  }

  checkAwareness(peer: DocumentPeer, entries: readonly AwarenessEntry[]): AwarenessCheck {
    return this.presence.check(peer, entries);
  }

  applyOwnAwareness(peer: DocumentPeer, own: readonly AwarenessEntry[]): AwarenessVerdict {
    return this.presence.applyOwn(peer, own);
  }

  /** True when the validated update (with its parse) would change the document. */
  wouldChange(update: Uint8Array, parsed?: EditRequest['parsed']): boolean {
    return prepareUpdate(this.doc, update, parsed) !== null;
  }

  /**
   * Records and applies one validated update. Resolves once it is in the store, in the document and
   * sent to the other connections; rejects when the store refused it (the update is then nowhere).
   */
  submitEdit(edit: EditRequest): Promise<EditResult> {
    if (this.destroyedValue) return Promise.reject(new Error(`Document ${this.proposalId} is closed`));
    return new Promise<EditResult>((resolve, reject) => {
      this.pendingEdits.push({ edit, resolve, reject });
      if (this.flushScheduled) return;
      this.flushScheduled = true;
      this.runExclusive('flushing edits failed', () => this.flushEdits());
    });
  }

  /** A content event from the store subscription; events already reflected are ignored by stream revision. */
  onStoreEvent(event: RecordedEvent): void {
    if (this.destroyedValue || event.revision <= this.streamRevision) return;
    this.runExclusive('catch-up from the store failed', async () => {
      if (this.destroyedValue || event.revision <= this.streamRevision) return;
      if (event.revision === this.streamRevision + 1) this.incorporate(event);
      else await this.catchUp();
    });
  }

  /** Reads whatever the store has beyond what this document reflects (closes load/subscribe gaps). */
  scheduleCatchUp(): void {
    this.runExclusive('catch-up from the store failed', () => (this.destroyedValue ? undefined : this.catchUp()));
  }

  /** Resolves once queued edits and snapshot writes have settled. */
  async settle(): Promise<void> {
    do {
      await this.mutex.waitForUnlock();
      await this.snapshots.settled();
    } while (!this.quiescent);
  }

  /** Ends the document on this node: connections are told to reconnect, which reloads it. */
  destroy(closeCode = 1001, reason = 'document closed'): void {
    if (this.destroyedValue) return;
    this.destroyedValue = true;
    for (const peer of [...this.peers]) peer.disconnect(closeCode, reason);
    this.peers.clear();
    this.presence.destroy();
    this.doc.off('update', this.broadcastDocumentUpdate);
    this.doc.destroy();
    this.onDestroyed?.();
  }

  private runExclusive(failure: string, task: () => Promise<void> | void): void {
    this.mutex
      .runExclusive(task)
      .catch((error) => this.context.logger.error({ proposalId: this.proposalId, ...describeError(error) }, failure));
  }

  /**
   * Group commit, the recording half: the batch planned from the edits waiting is recorded by one
   * append, each edit its own attributed event, then applied and broadcast in order. An append lost
   * to another node (or to a write fence marker) catches up and plans again; leftovers get the next
   * turn of the mutex, after any store events waiting there.
   */
  private async flushEdits(): Promise<void> {
    this.flushScheduled = false;
    for (let attempt = 1; ; attempt++) {
      if (this.destroyedValue) {
        for (const pending of this.pendingEdits.splice(0)) pending.reject(new Error(`Document ${this.proposalId} is closed`));
        return;
      }
      const plan = planBatch(this.planningState(), this.pendingEdits.map((pending) => pending.edit));
      if (plan.measuredBytes !== undefined) this.encodedBytesEstimate = plan.measuredBytes;
      const members = plan.decisions.flatMap((decision, index) => (decision.outcome === 'record' ? [{ decision, pending: this.pendingEdits[index] }] : []));
      let failure: unknown = null;
      if (members.length > 0) {
        try {
          const records = members.map(({ decision: { prepared, revision }, pending: { edit } }) => ({ ...prepared, userId: edit.userId, kind: edit.kind, revision }));
          const appended = await this.context.writer.appendUpdates(this.proposalId, records, this.streamRevision);
          this.streamRevision = appended.nextExpectedRevision;
        } catch (error) {
          // Another node (or a fence marker) appended first: take its events, then decide again.
          if (error instanceof WrongExpectedRevisionError && attempt < MAX_APPEND_ATTEMPTS) {
            await this.catchUp();
            continue;
          }
          failure = error;
        }
      }
      const decided = this.pendingEdits.splice(0, plan.decisions.length);
      const before = this.contentRevisionValue;
      if (failure === null) for (const { decision, pending } of members) this.applyRecorded(decision, pending.edit);
      decided.forEach((pending, index) => this.settleEdit(pending, plan.decisions[index], failure));
      if (failure === null) this.snapshots.recorded(before, this.contentRevisionValue);
      if (failure === null && members.some(({ decision, pending }) => pending.edit.kind !== 'numbering' && mayAffectBlockIds(decision.prepared.structs))) {
        this.queueBlockIdRepair();
      }
      break;
    }
    if (this.pendingEdits.length > 0 && !this.flushScheduled) {
      this.flushScheduled = true;
      this.runExclusive('flushing edits failed', () => this.flushEdits());
    }
  }

  /**
   * Stable block ids (libs/content `block-ids.ts`) are kept true by the node that records an edit:
   * when the document now holds a block without an id, or a second holder of one (a copy-paste, a
   * plain Yjs client), the server writes the fresh ids in an update of its own ('numbering', by
   * 'system'), queued behind the edits and recorded like them — refused, like them, where the write
   * fence is closed. Every node catching up reads it from the log; if this node dies first, the
   * next recorded edit on any node repairs the whole document.
   */
  private queueBlockIdRepair(): void {
    if (this.destroyedValue || blocksNeedingIds(this.doc).length === 0) return;
    this.pendingEdits.push({
      edit: { update: (doc) => blockIdRepairUpdate(doc, { clientId: unusedClientId(doc) }), userId: SYSTEM_USER_ID, kind: 'numbering' },
      resolve: (result) => {
        if (result.refused) this.context.logger.warn({ proposalId: this.proposalId, refused: result.refused }, 'block ids not repaired');
      },
      reject: (error) => this.context.logger.error({ proposalId: this.proposalId, ...describeError(error) }, 'block ids not repaired'),
    });
  }

  private planningState(): PlanningState {
    return {
      doc: this.doc,
      contentRevision: this.contentRevisionValue,
      fence: this.fence,
      structAuthors: this.structAuthors,
      encodedBytesEstimate: this.encodedBytesEstimate,
      maxDocumentBytes: this.context.maxDocumentBytes ?? DEFAULT_MAX_DOCUMENT_BYTES,
    };
  }

  private applyRecorded(decision: Extract<EditDecision, { outcome: 'record' }>, edit: EditRequest): void {
    // Recorded either way; if the document was dropped for a reload, the reload has it.
    this.contentRevisionValue = decision.revision;
    if (this.destroyedValue) return;
    for (const clientId of decision.prepared.clientIds) if (!this.structAuthors.has(clientId)) this.structAuthors.set(clientId, edit.userId);
    this.apply(decision.prepared.update, edit.origin ?? FROM_SERVER);
    this.encodedBytesEstimate += decision.prepared.update.length;
  }

  private settleEdit(pending: PendingEdit, decision: EditDecision, failure: unknown): void {
    const settled = settlementOf(decision, this.contentRevisionValue, failure);
    if ('error' in settled) pending.reject(settled.error);
    else pending.resolve(settled);
  }

  private async catchUp(): Promise<void> {
    for (;;) {
      const events = await this.context.reader.eventsFrom(this.proposalId, this.streamRevision + 1);
      for (const event of events) if (event.revision > this.streamRevision) this.incorporate(event);
      if (events.length === 0 || this.destroyedValue) return;
    }
  }

  /** Applies a content stream event read from the store: an update, or a fence marker. */
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

  private foldFence(marker: AccessMarker): void {
    this.fence = foldAccessMarker(this.fence, marker);
    this.context.logger.info({ proposalId: this.proposalId, marker }, 'content write fence changed');
    if (marker.writes !== 'closed') return;
    for (const peer of [...this.peers]) {
      const reason = writeRefusal(this.fence, peer.userId);
      if (reason !== null) peer.writesClosed?.(reason);
    }
  }

  /** Authors of updates read from the log (other nodes', or at load): these are parsed here, once. */
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
      this.context.logger.error({ proposalId: this.proposalId, ...describeError(error) }, 'recorded update failed to apply; reloading the document');
      this.destroy(1011, 'document reloading');
    }
  }

  private readonly broadcastDocumentUpdate = (update: Uint8Array, origin: unknown): void => {
    const message = encodeSyncUpdate(update);
    for (const peer of this.peers) if (peer !== origin) peer.send(message);
  };
}
