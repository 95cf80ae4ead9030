import { DOCUMENT } from '@angular/common';
import { DestroyRef, Injectable, computed, inject, signal } from '@angular/core';
import { recordedDocument } from '@concord/content';
import type * as Y from 'yjs';
import { authorColor } from './author-color';
import { COLLAB_CONNECTOR, type CollabProvider, type LocalPersistence } from './collab-connector';
import { ConnectionTracker, type ConnectionView } from './connection-tracker';
import { documentBlocks } from './document-text';
import { RecordTracker } from './record-tracker';
import { type Denial, type DenialCode, parseDenial } from './server-messages';

/** The Y.XmlFragment holding the proposal's rich text (ARCHITECTURE §6). */
export const CONTENT_FIELD = 'content';
const UNSYNCED_KEY = 'unsyncedChanges';

export interface CollaboratorIdentity {
  id: string;
  name: string;
}

export interface OpenDocumentOptions {
  proposalId: string;
  user: CollaboratorIdentity;
  /** A fresh single-use socket ticket (POST /api/collab/tickets), asked before every connect. */
  nextTicket: () => Promise<string>;
  /** Chairs and auditors: the editor does not edit (and the server would drop the writes anyway). */
  readOnly: boolean;
}

/** What an editor needs to bind to the live document. */
export interface DocumentBinding {
  proposalId: string;
  userId: string;
  doc: Y.Doc;
  provider: CollabProvider;
  /** Shown on this user's caret to the others. */
  user: { name: string; color: string };
  /** Opened read-only (the user's roles); the server may make a writable session read-only later: see `writable`. */
  readOnly: boolean;
}

/** Why the editor may not write (any more), as the server said it. */
export interface WriteRefusal {
  code: DenialCode | 'closed';
  /** The server's sentence (after the code), or the close reason. */
  message: string;
  /** The close code when the server closed the connection. */
  closeCode?: number;
}

/**
 * This user's own edits that the server never recorded, taken out of the shown document when it
 * was replaced by the recorded text: offered to copy and to compare, never passed for the record.
 */
export interface UnrecordedEdits {
  /** The local version's text, one string per block. */
  local: string[];
  /** The recorded text it is compared with, once known. */
  recorded: string[] | null;
}

/**
 * The live Y.Doc of one proposal and its transports: the y-websocket provider to the server and
 * y-indexeddb on this device (per proposal and user, so offline edits survive a reload and go out
 * on reconnection). Provided by the proposal page: leaving the page destroys the provider, the
 * local persistence and the document.
 *
 * "Saved" means recorded by the server: the server acknowledges recorded edits with a sync-step-1
 * carrying its state vector (PROTOCOL.md), followed by a RecordTracker. A refused write is always
 * told: the auth permission-denied message or a close code; the session then turns read-only (or,
 * for a refused oversized or invalid update, starts again from the recorded text) and says why.
 * Whenever the document shown would hold edits the server never recorded while they can no longer
 * be sent, it is replaced by a fresh copy synced from the server (its IndexedDB copy cleared) and
 * the local text is offered as `unrecordedEdits`.
 *
 * Provider and document events come from outside Angular; they only ever land in signals, which
 * is what schedules change detection in a zoneless app.
 */
@Injectable()
export class ProposalDocumentSession {
  private readonly connector = inject(COLLAB_CONNECTOR);
  private readonly document = inject(DOCUMENT);

  private readonly connection = signal<ConnectionView>({ state: 'connecting', unsyncedChanges: 0, refusal: null });
  private readonly current = signal<DocumentBinding | null>(null);
  private readonly loaded = signal(false);
  private readonly changeCount = signal(0);
  private readonly unrecordedCount = signal(0);
  private readonly refusedWrite = signal<WriteRefusal | null>(null);
  private readonly kept = signal<UnrecordedEdits | null>(null);
  private readonly replacing = signal(false);

  /** connecting / connected / reconnecting / offline / refused. */
  readonly state = computed(() => this.connection().state);
  /** This device's changes the server has not (yet) acknowledged as recorded. */
  readonly unsyncedChanges = this.unrecordedCount.asReadonly();
  readonly refusal = computed(() => this.connection().refusal);
  /** The document and its provider, once open. */
  readonly binding = this.current.asReadonly();
  /**
   * True once there is a document to show: synced from the server, or restored from this device
   * while offline. Before that an editor would start from an empty document.
   */
  readonly documentReady = this.loaded.asReadonly();
  /** Counts every change of the document (local or remote): something to debounce a refresh on. */
  readonly changes = this.changeCount.asReadonly();
  /** Why the server refused this session's writes, if it did (cleared when access comes back). */
  readonly writeRefusal = this.refusedWrite.asReadonly();
  /** May the editor write: opened writable, not refused by the server, not closed. */
  readonly writable = computed(() => {
    const binding = this.current();
    return !!binding && !binding.readOnly && this.refusedWrite() === null && this.connection().refusal === null && !this.replacing();
  });
  /** Edits of this user the server never recorded, taken out of the document (see the class comment). */
  readonly unrecordedEdits = this.kept.asReadonly();
  /** A refusal that did not end writing (an oversized or invalid update was dropped): to tell once. */
  readonly notice = signal<WriteRefusal | null>(null);
  /**
   * The document is being replaced by a fresh copy of the recorded text. After a refused oversized
   * or invalid update the old text stays on screen, read-only, until that copy has arrived.
   */
  readonly restoring = this.replacing.asReadonly();

  private tracker = new ConnectionTracker();
  private records = new RecordTracker();
  private options: OpenDocumentOptions | null = null;
  private teardown: ((clearLocal: boolean, keepDoc: boolean) => Promise<void>) | null = null;
  private generation = 0;
  /** The document still shown while its replacement loads (its provider already gone). */
  private outgoing: Y.Doc | null = null;

  constructor() {
    inject(DestroyRef).onDestroy(() => this.close());
  }

  /** Opens (or re-opens, for another proposal or user) the live document. */
  open(options: OpenDocumentOptions): void {
    const open = this.current();
    if (open && open.proposalId === options.proposalId && open.userId === options.user.id) {
      if (open.readOnly === options.readOnly) return;
      if (options.readOnly && this.records.hasUnrecorded()) {
        // Write access is gone while edits are still unrecorded: show the recorded text.
        void this.replaceWithRecorded(options);
        return;
      }
    }
    // The same document reopened read-only keeps the server's reason for it.
    const keptRefusal = open && open.proposalId === options.proposalId && open.userId === options.user.id && options.readOnly ? this.refusedWrite() : null;
    this.close();
    this.refusedWrite.set(keptRefusal);
    this.start(options);
  }

  /** Clears the unrecorded edits panel (the user has copied or dismissed them). */
  dismissUnrecordedEdits(): void {
    this.kept.set(null);
  }

  /** Destroys the provider, the local persistence and the document. */
  close(): void {
    void this.stop(false);
    this.kept.set(null);
    this.refusedWrite.set(null);
    this.notice.set(null);
    this.replacing.set(false);
  }

  /**
   * Ends the open document's connection and local copy. With `keepShowing`, its Y.Doc stays the
   * binding (read-only: `replacing` is set) until the next `start` hands over to a fresh copy.
   */
  private stop(clearLocal: boolean, keepShowing = false): Promise<void> {
    const teardown = this.teardown;
    this.teardown = null;
    this.generation++;
    this.outgoing?.destroy();
    this.outgoing = null;
    if (keepShowing) {
      this.outgoing = this.current()?.doc ?? null;
    } else {
      this.current.set(null);
      this.loaded.set(false);
    }
    this.unrecordedCount.set(0);
    this.connection.set({ state: 'connecting', unsyncedChanges: 0, refusal: null });
    return teardown?.(clearLocal, keepShowing) ?? Promise.resolve();
  }

  private start(options: OpenDocumentOptions, handOverLater = false): void {
    this.options = options;
    const generation = ++this.generation;
    const view = this.document.defaultView;
    // Like the server's, the editor's document never "cleans up" formatting on its own: done by
    // several replicas at once that cleanup is not neutral (marks were lost), and nothing needs it.
    const doc = recordedDocument();
    const localName = `concord:${options.proposalId}:${options.user.id}`;
    const persistence: LocalPersistence = this.connector.persist(localName, doc);
    const provider = this.connector.connect(collabServerUrl(this.document), options.proposalId, doc, options.nextTicket);
    this.tracker = new ConnectionTracker({ online: view?.navigator.onLine ?? true });
    const records = (this.records = new RecordTracker());
    let closed = false;
    const live = () => !closed && generation === this.generation;
    this.connection.set(this.tracker.view());

    let storedUnsynced = 0;
    let storedRead = false;
    const countRecords = () => {
      const count = records.unrecordedCount();
      this.unrecordedCount.set(count);
      // Never overwrite the stored count before it has been read back.
      if (closed || !storedRead || count === storedUnsynced) return;
      storedUnsynced = count;
      persistence.set(UNSYNCED_KEY, count).catch(() => undefined);
    };
    const track = (next: ConnectionView) => {
      if (live()) this.connection.set(next);
    };

    provider.on('status', ({ status }) => track(this.tracker.providerStatus(status)));
    provider.on('sync', (synced) => {
      track(this.tracker.providerSynced(synced));
      if (synced && live()) {
        show();
        this.loaded.set(true);
        const kept = this.kept();
        if (kept && kept.recorded === null) this.compareWithRecorded(kept, doc);
      }
    });
    provider.on('server-state-vector', (stateVector) => {
      if (!live()) return;
      records.serverStateVector(stateVector);
      countRecords();
      this.reconcile();
    });
    provider.on('permission-denied', (reason) => {
      if (!live()) return;
      show();
      this.refused(parseDenial(reason));
    });
    provider.on('connection-close', (event) => {
      // 4500: access changed; the stock provider reconnects and the server decides afresh.
      if (live() && event?.code === ACCESS_CHANGED) this.refusedWrite.set(null);
    });
    provider.on('closed', ({ code, reason }) => {
      if (!live()) return;
      show();
      track(this.tracker.refused(code));
      this.closedByServer(code, reason);
    });

    doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (!live()) return;
      this.changeCount.update((n) => n + 1);
      if (origin === provider) return;
      if (origin === persistence) {
        records.restored(update);
      } else {
        records.localChange(update);
      }
      countRecords();
    });

    persistence.whenSynced
      .then(async () => {
        if (!live()) return;
        if (doc.getXmlFragment(CONTENT_FIELD).length > 0) {
          show();
          this.loaded.set(true);
        }
        const restored = Number(await persistence.get(UNSYNCED_KEY));
        if (!live()) return;
        storedRead = true;
        storedUnsynced = restored > 0 ? restored : 0;
        if (restored > 0) records.restoredUnsynced(restored);
        countRecords();
      })
      .catch(() => undefined);

    // Browsers keep an open WebSocket when they go offline; follow the browser's own verdict so
    // edits are kept locally at once and sent as soon as it is back online.
    const goOffline = () => {
      provider.disconnect();
      track(this.tracker.browserConnectivity(false));
    };
    const goOnline = () => {
      track(this.tracker.browserConnectivity(true));
      if (this.tracker.view().refusal === null) provider.connect();
    };
    view?.addEventListener('offline', goOffline);
    view?.addEventListener('online', goOnline);
    if (view && !view.navigator.onLine) provider.disconnect();

    const binding: DocumentBinding = {
      proposalId: options.proposalId,
      userId: options.user.id,
      doc,
      provider,
      user: { name: options.user.name, color: authorColor(options.user.id) },
      readOnly: options.readOnly,
    };
    // Shows this document: at once, or (handing over) once it has something to show or the
    // server has said no, so the old text never gives way to an empty page meanwhile.
    let shown = false;
    const show = () => {
      if (shown || !live()) return;
      shown = true;
      const previous = this.outgoing;
      this.outgoing = null;
      this.current.set(binding);
      this.loaded.set(false);
      this.replacing.set(false);
      previous?.destroy();
    };
    if (!handOverLater) show();

    this.teardown = async (clearLocal, keepDoc) => {
      closed = true;
      view?.removeEventListener('offline', goOffline);
      view?.removeEventListener('online', goOnline);
      // Tell the others this caret is gone before the socket closes.
      provider.awareness.setLocalState(null);
      provider.destroy();
      const persistenceDestroyed = persistence.destroy().catch(() => undefined);
      if (!keepDoc) doc.destroy();
      await persistenceDestroyed;
      if (clearLocal) await this.connector.clearLocal(localName).catch(() => undefined);
    };
  }

  /** The server refused a write (auth permission-denied). */
  private refused(denial: Denial): void {
    switch (denial.code) {
      case 'too-large':
        // The server closes with 4413 next; `closed` starts again from the recorded text.
        this.refusedWrite.set({ code: denial.code, message: denial.message });
        return;
      case 'invalid':
        // The malformed update would be sent again on every reconnection: start from the record.
        if (this.options) void this.replaceWithRecorded(this.options, { code: denial.code, message: denial.message }, false);
        return;
      case 'forbidden':
      case 'session-ended':
        // The server closes with 4403 / 4401 next: `closed` decides what is shown.
        this.refusedWrite.set({ code: denial.code, message: denial.message });
        return;
      default:
        this.refusedWrite.set({ code: denial.code, message: denial.message });
        this.reconcile();
    }
  }

  /** The server closed the connection for good (44xx: the stock provider does not reconnect). */
  private closedByServer(code: number, reason: string): void {
    const said = this.refusedWrite();
    const message = said?.message || parseDenial(reason).message;
    if (code === TOO_LARGE && this.options) {
      void this.replaceWithRecorded(this.options, { code: 'too-large', message, closeCode: code }, false);
      return;
    }
    this.refusedWrite.set({ code: said?.code ?? 'closed', message, closeCode: code });
    if (this.records.hasUnrecorded() && this.loaded()) {
      // Nothing can be sent or re-synced any more: keep the user's text aside, show no document.
      const binding = this.current();
      if (binding) this.kept.set({ local: documentBlocks(binding.doc.getXmlFragment(CONTENT_FIELD)), recorded: null });
      const connection = this.connection();
      void this.stop(true).then(() => this.connection.set(connection));
    }
  }

  /** Read-only with edits the server never recorded: show the recorded text instead. */
  private reconcile(): void {
    const binding = this.current();
    if (!binding || !this.options || this.writable() || !this.records.hasUnrecorded()) return;
    if (this.connection().refusal !== null) return;
    void this.replaceWithRecorded({ ...this.options }, this.refusedWrite(), true);
  }

  /**
   * Takes this user's unrecorded text aside, clears this device's copy, and opens the document
   * afresh from the server (read-only when `readOnly`, or as the options say).
   */
  private async replaceWithRecorded(options: OpenDocumentOptions, refusal: WriteRefusal | null = this.refusedWrite(), keepRefusal = true): Promise<void> {
    const binding = this.current();
    if (!binding || this.replacing()) return;
    const local = documentBlocks(binding.doc.getXmlFragment(CONTENT_FIELD));
    this.replacing.set(true);
    // Still writable afterwards (a dropped update): the old text stays on screen, read-only, until
    // the recorded one arrives. Read-only afterwards: edits the server never recorded are not
    // shown even for that moment.
    const keepShowing = !keepRefusal;
    const stopped = this.stop(true, keepShowing);
    const generation = this.generation;
    await stopped;
    if (generation !== this.generation || this.current() !== (keepShowing ? binding : null)) return; // opened anew meanwhile
    this.kept.set({ local, recorded: null });
    this.refusedWrite.set(keepRefusal ? refusal : null);
    this.start(options, keepShowing);
    if (!keepRefusal && refusal) this.notice.set(refusal);
  }

  private compareWithRecorded(kept: UnrecordedEdits, doc: Y.Doc): void {
    const recorded = documentBlocks(doc.getXmlFragment(CONTENT_FIELD));
    const same = recorded.length === kept.local.length && recorded.every((block, i) => block === kept.local[i]);
    this.kept.set(same ? null : { ...kept, recorded });
  }
}

const ACCESS_CHANGED = 4500;
const TOO_LARGE = 4413;

/** ws(s)://<this host>/collab — the API serves the app, REST and the collaboration socket on one origin. */
export function collabServerUrl(document: Document): string {
  const location = document.location;
  return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/collab`;
}
