import { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import type { CollabConnector, CollabProvider, LocalPersistence } from './collab-connector';
import type { ProviderStatus } from './connection-tracker';

type Handler = (...args: never[]) => void;

/** What a fake IndexedDB holds when a document is opened: an earlier state and stored values. */
export interface StoredOnDevice {
  update?: Uint8Array;
  values?: Record<string, unknown>;
}

/**
 * A stand-in for the y-websocket provider in unit tests: no socket; the test drives it with
 * `emitStatus`, `emitSync` and `emitClosed` and checks `connectCalls`, `disconnectCalls`, `destroyed`.
 */
export class FakeCollabProvider implements CollabProvider {
  readonly awareness: Awareness;
  synced = false;
  connectCalls = 0;
  disconnectCalls = 0;
  destroyed = false;
  private readonly handlers = new Map<string, Handler[]>();

  constructor(
    readonly serverUrl: string,
    readonly room: string,
    readonly doc: Y.Doc,
    readonly nextTicket: () => Promise<string>,
  ) {
    this.awareness = new Awareness(doc);
  }

  on(event: string, handler: Handler): void {
    this.handlers.set(event, [...(this.handlers.get(event) ?? []), handler]);
  }

  connect(): void {
    this.connectCalls++;
  }

  disconnect(): void {
    this.disconnectCalls++;
  }

  destroy(): void {
    this.destroyed = true;
    this.awareness.destroy();
  }

  emitStatus(status: ProviderStatus): void {
    this.emit('status', { status });
  }

  emitSync(synced: boolean): void {
    this.synced = synced;
    this.emit('sync', synced);
  }

  /** The server closes the socket: 44xx codes also end the provider (`closed`), as the stock one does. */
  emitClosed(code: number, reason = ''): void {
    this.emit('connection-close', { code, reason });
    this.emitStatus('disconnected');
    if (code >= 4400 && code < 4500) this.emit('closed', { code, reason });
  }

  /** The server acknowledges what it recorded: a sync-step-1 with its state vector (default: all of `recorded`). */
  emitServerStateVector(recorded: Y.Doc | Map<number, number> = this.doc): void {
    this.emit('server-state-vector', recorded instanceof Map ? recorded : Y.decodeStateVector(Y.encodeStateVector(recorded)));
  }

  /** An auth permission-denied message with this reason (`read-only: …`). */
  emitPermissionDenied(reason: string): void {
    this.emit('permission-denied', reason);
  }

  private emit(event: string, ...args: unknown[]): void {
    for (const handler of this.handlers.get(event) ?? []) {
      (handler as (...values: unknown[]) => void)(...args);
    }
  }
}

/** A stand-in for y-indexeddb: an in-memory key/value store, already "synced". */
export class FakeLocalPersistence implements LocalPersistence {
  readonly values = new Map<string, unknown>();
  readonly whenSynced: Promise<unknown>;
  destroyed = false;

  constructor(
    readonly name: string,
    readonly doc: Y.Doc,
    /** Applied to the doc before `whenSynced` resolves, as if stored on this device earlier. */
    stored: StoredOnDevice = {},
  ) {
    Object.entries(stored.values ?? {}).forEach(([key, value]) => this.values.set(key, value));
    this.whenSynced = Promise.resolve().then(() => {
      if (stored.update) {
        Y.applyUpdate(doc, stored.update, this);
      }
      return this;
    });
  }

  get(key: string): Promise<unknown> {
    return Promise.resolve(this.values.get(key));
  }

  set(key: string, value: number | string): Promise<unknown> {
    this.values.set(key, value);
    return Promise.resolve(value);
  }

  destroy(): Promise<void> {
    this.destroyed = true;
    return Promise.resolve();
  }
}

/** A CollabConnector for tests that records the providers and persistences it opens. */
export class FakeCollabConnector implements CollabConnector {
  readonly providers: FakeCollabProvider[] = [];
  readonly persistences: FakeLocalPersistence[] = [];

  /** The names whose local copy was cleared. */
  readonly cleared: string[] = [];

  constructor(private stored: StoredOnDevice = {}) {}

  /** What the next persistence finds on the device. */
  storeOnDevice(stored: StoredOnDevice): void {
    this.stored = stored;
  }

  clearLocal(name: string): Promise<void> {
    this.cleared.push(name);
    this.stored = {};
    return Promise.resolve();
  }

  get provider(): FakeCollabProvider {
    const provider = this.providers.at(-1);
    if (!provider) {
      throw new Error('no provider opened yet');
    }
    return provider;
  }

  connect(serverUrl: string, room: string, doc: Y.Doc, nextTicket: () => Promise<string>): FakeCollabProvider {
    const provider = new FakeCollabProvider(serverUrl, room, doc, nextTicket);
    this.providers.push(provider);
    return provider;
  }

  persist(name: string, doc: Y.Doc): FakeLocalPersistence {
    const persistence = new FakeLocalPersistence(name, doc, this.stored);
    this.persistences.push(persistence);
    return persistence;
  }
}
