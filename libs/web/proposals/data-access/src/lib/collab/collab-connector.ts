import { InjectionToken } from '@angular/core';
import { IndexeddbPersistence } from 'y-indexeddb';
import type { Awareness } from 'y-protocols/awareness';
import { WebsocketProvider } from 'y-websocket';
import type * as Y from 'yjs';
import type { ProviderStatus } from './connection-tracker';
import { MESSAGE_AUTH, MESSAGE_SYNC, peekSyncStep1, readPermissionDenied } from './server-messages';
import { connectWithTickets } from './ticketed-connection';

/** The part of y-websocket's WebsocketProvider the editor session uses. */
export interface CollabProvider {
  readonly awareness: Awareness;
  readonly synced: boolean;
  on(event: 'status', handler: (event: { status: ProviderStatus }) => void): void;
  on(event: 'sync', handler: (synced: boolean) => void): void;
  on(event: 'closed', handler: (event: { code: number; reason: string }) => void): void;
  /** Any close of the socket (null when closed on this side); the provider may reconnect. */
  on(event: 'connection-close', handler: (event: { code: number; reason: string } | null) => void): void;
  /** A sync-step-1 from the server: the state vector of what it has recorded (PROTOCOL). */
  on(event: 'server-state-vector', handler: (stateVector: Map<number, number>) => void): void;
  /** An auth permission-denied message: `<code>: <sentence>` (PROTOCOL). */
  on(event: 'permission-denied', handler: (reason: string) => void): void;
  connect(): void;
  disconnect(): void;
  destroy(): void;
}

/** The part of y-indexeddb's IndexeddbPersistence the editor session uses. */
export interface LocalPersistence {
  readonly whenSynced: Promise<unknown>;
  get(key: string): Promise<unknown>;
  set(key: string, value: number | string): Promise<unknown>;
  destroy(): Promise<void>;
}

/**
 * Opens the transports of a proposal's Y.Doc. A token so that unit tests run without sockets or
 * IndexedDB; the browser implementation is the stock y-websocket provider and y-indexeddb.
 */
export interface CollabConnector {
  /**
   * `serverUrl` is ws(s)://host/collab; the room is the proposal id (→ /collab/<id>?ticket=…, a
   * fresh single-use ticket from `nextTicket` before every connect).
   */
  connect(serverUrl: string, room: string, doc: Y.Doc, nextTicket: () => Promise<string>): CollabProvider;
  persist(name: string, doc: Y.Doc): LocalPersistence;
  /** Deletes what `persist(name, …)` stored on this device (after its persistence is destroyed). */
  clearLocal(name: string): Promise<void>;
}

type SyncHandler = WebsocketProvider['messageHandlers'][number];

/**
 * The stock provider, taught the two server messages it has no event for: the server's
 * sync-step-1 (its recorded state vector, then handled as usual) and the auth permission-denied
 * message (the stock handler only logs it); and connected through a fresh single-use ticket before
 * every (re)connect (`connectWithTickets`).
 */
function connectWithServerMessages(serverUrl: string, room: string, doc: Y.Doc, nextTicket: () => Promise<string>): WebsocketProvider {
  const provider = new WebsocketProvider(serverUrl, room, doc, {
    // Not before a ticket is in `params` (connectWithTickets).
    connect: false,
    // Every edit goes through the server, which attributes and records it; tabs do not
    // exchange edits behind its back.
    disableBc: true,
  });
  const emit = provider.emit.bind(provider) as (event: string, args: unknown[]) => void;
  const stockSync: SyncHandler = provider.messageHandlers[MESSAGE_SYNC];
  provider.messageHandlers[MESSAGE_SYNC] = (encoder, decoder, target, emitSynced, messageType) => {
    const stateVector = peekSyncStep1(decoder);
    stockSync(encoder, decoder, target, emitSynced, messageType);
    if (stateVector) emit('server-state-vector', [stateVector]);
  };
  provider.messageHandlers[MESSAGE_AUTH] = (_encoder, decoder) => {
    const reason = readPermissionDenied(decoder);
    if (reason !== null) emit('permission-denied', [reason]);
  };
  // A 401 here means the session has ended: the HTTP layer has sent the user to sign in.
  connectWithTickets(provider, nextTicket, (error) => (error as { status?: number } | null)?.status === 401);
  return provider;
}

export const browserCollabConnector: CollabConnector = {
  connect: connectWithServerMessages,
  persist: (name, doc) => new IndexeddbPersistence(name, doc),
  clearLocal: (name) =>
    new Promise<void>((done) => {
      const request = indexedDB.deleteDatabase(name);
      request.onsuccess = request.onerror = request.onblocked = () => done();
    }),
};

export const COLLAB_CONNECTOR = new InjectionToken<CollabConnector>('COLLAB_CONNECTOR', {
  providedIn: 'root',
  factory: () => browserCollabConnector,
});
