import { InjectionToken } from '@angular/core';
import { IndexeddbPersistence } from 'y-indexeddb';
import type { Awareness } from 'y-protocols/awareness';
import { WebsocketProvider } from 'y-websocket';
import type * as Y from 'yjs';
import type { ProviderStatus } from './connection-tracker';

/** The part of y-websocket's WebsocketProvider the editor session uses. */
export interface CollabProvider {
  readonly awareness: Awareness;
  readonly synced: boolean;
  on(event: 'status', handler: (event: { status: ProviderStatus }) => void): void;
  on(event: 'sync', handler: (synced: boolean) => void): void;
  on(event: 'closed', handler: (event: { code: number; reason: string }) => void): void;
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
  /** `serverUrl` is ws(s)://host/collab; the room is the proposal id (→ /collab/<id>?token=…). */
  connect(serverUrl: string, room: string, doc: Y.Doc, token: string): CollabProvider;
  persist(name: string, doc: Y.Doc): LocalPersistence;
}

export const browserCollabConnector: CollabConnector = {
  connect: (serverUrl, room, doc, token) =>
    new WebsocketProvider(serverUrl, room, doc, {
      params: { token },
      // Every edit goes through the server, which attributes and records it; tabs do not
      // exchange edits behind its back.
      disableBc: true,
    }),
  persist: (name, doc) => new IndexeddbPersistence(name, doc),
};

export const COLLAB_CONNECTOR = new InjectionToken<CollabConnector>('COLLAB_CONNECTOR', {
  providedIn: 'root',
  factory: () => browserCollabConnector,
});
