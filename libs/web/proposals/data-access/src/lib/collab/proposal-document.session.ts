import { DOCUMENT } from '@angular/common';
import { DestroyRef, Injectable, computed, inject, signal } from '@angular/core';
import * as Y from 'yjs';
import { authorColor } from './author-color';
import { COLLAB_CONNECTOR, type CollabProvider, type LocalPersistence } from './collab-connector';
import { ConnectionTracker, type ConnectionView } from './connection-tracker';

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
  token: string;
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
  readOnly: boolean;
}

/**
 * The live Y.Doc of one proposal and its transports: the y-websocket provider to the server and
 * y-indexeddb on this device (per proposal and user, so offline edits survive a reload and go out
 * on reconnection). Provided by the proposal page: leaving the page destroys the provider, the
 * local persistence and the document.
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

  /** connecting / connected / reconnecting / offline / refused. */
  readonly state = computed(() => this.connection().state);
  readonly unsyncedChanges = computed(() => this.connection().unsyncedChanges);
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

  private tracker = new ConnectionTracker();
  private teardown: (() => void) | null = null;

  constructor() {
    inject(DestroyRef).onDestroy(() => this.close());
  }

  /** Opens (or re-opens, for another proposal or user) the live document. */
  open(options: OpenDocumentOptions): void {
    const open = this.current();
    if (open && open.proposalId === options.proposalId && open.userId === options.user.id && open.readOnly === options.readOnly) {
      return;
    }
    this.close();

    const view = this.document.defaultView;
    const doc = new Y.Doc();
    const persistence: LocalPersistence = this.connector.persist(`concord:${options.proposalId}:${options.user.id}`, doc);
    const provider = this.connector.connect(collabServerUrl(this.document), options.proposalId, doc, options.token);
    this.tracker = new ConnectionTracker({ online: view?.navigator.onLine ?? true });
    const update = (next: ConnectionView) => {
      this.connection.set(next);
    };
    update(this.tracker.view());

    let closed = false;
    let storedUnsynced = 0;
    const remember = (view: ConnectionView) => {
      if (closed || view.unsyncedChanges === storedUnsynced) return;
      storedUnsynced = view.unsyncedChanges;
      persistence.set(UNSYNCED_KEY, storedUnsynced).catch(() => undefined);
    };
    const track = (next: ConnectionView) => {
      update(next);
      remember(next);
    };

    provider.on('status', ({ status }) => track(this.tracker.providerStatus(status)));
    provider.on('sync', (synced) => {
      track(this.tracker.providerSynced(synced));
      if (synced) this.loaded.set(true);
    });
    provider.on('closed', ({ code }) => track(this.tracker.refused(code)));

    doc.on('update', (_update: Uint8Array, origin: unknown) => {
      this.changeCount.update((n) => n + 1);
      if (origin !== provider && origin !== persistence) track(this.tracker.localChange());
    });

    persistence.whenSynced
      .then(async () => {
        if (closed) return;
        if (doc.getXmlFragment(CONTENT_FIELD).length > 0) this.loaded.set(true);
        const restored = Number(await persistence.get(UNSYNCED_KEY));
        if (!closed && restored > 0) {
          storedUnsynced = restored;
          track(this.tracker.restoredUnsynced(restored));
        }
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

    this.current.set({
      proposalId: options.proposalId,
      userId: options.user.id,
      doc,
      provider,
      user: { name: options.user.name, color: authorColor(options.user.id) },
      readOnly: options.readOnly,
    });

    this.teardown = () => {
      closed = true;
      view?.removeEventListener('offline', goOffline);
      view?.removeEventListener('online', goOnline);
      // Tell the others this caret is gone before the socket closes.
      provider.awareness.setLocalState(null);
      provider.destroy();
      void persistence.destroy().catch(() => undefined);
      doc.destroy();
    };
  }

  /** Destroys the provider, the local persistence and the document. */
  close(): void {
    const teardown = this.teardown;
    this.teardown = null;
    this.current.set(null);
    this.loaded.set(false);
    this.connection.set({ state: 'connecting', unsyncedChanges: 0, refusal: null });
    teardown?.();
  }
}

/** ws(s)://<this host>/collab — the API serves the app, REST and the collaboration socket on one origin. */
export function collabServerUrl(document: Document): string {
  const location = document.location;
  return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/collab`;
}
