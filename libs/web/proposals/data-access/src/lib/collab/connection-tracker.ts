/** What the y-websocket provider reports in its `status` event. */
export type ProviderStatus = 'connecting' | 'connected' | 'disconnected';

/**
 * What the user is told about the live connection:
 * - `connecting`: opening the document for the first time;
 * - `connected`: synced with the server, edits go straight through;
 * - `reconnecting`: the connection dropped, the provider is retrying;
 * - `offline`: the browser is offline; edits are kept on this device;
 * - `refused`: the server closed the connection for good (no access, unknown proposal, signed out).
 */
export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'offline' | 'refused';

/** Why the server refused the connection (its close codes, ARCHITECTURE §6). */
export type Refusal = 'unauthenticated' | 'forbidden' | 'not-found' | 'other';

export interface ConnectionView {
  state: ConnectionState;
  /** Local changes the server has not been seen to receive yet. */
  unsyncedChanges: number;
  refusal: Refusal | null;
}

export function refusalOf(closeCode: number): Refusal {
  switch (closeCode) {
    case 4401:
      return 'unauthenticated';
    case 4403:
      return 'forbidden';
    case 4404:
      return 'not-found';
    default:
      return 'other';
  }
}

/**
 * The connection-state logic, apart from Yjs so it can be tested as plain events in, view out.
 *
 * y-websocket has no acknowledgement of single updates, so "unsynced" is judged from the
 * provider's own sync cycle: a local change made while the provider is connected and synced is
 * written to the open socket at once; a change made at any other time waits, and is counted, until
 * the provider next reports `synced` — on (re)connection the client answers the server's sync
 * step 1 with everything the server lacks before the server's step 2 marks the provider synced.
 */
export class ConnectionTracker {
  private status: ProviderStatus = 'connecting';
  private synced = false;
  private everSynced = false;
  private browserOnline: boolean;
  private refusal: Refusal | null = null;
  private pending: number;

  constructor({ online = true, unsyncedChanges = 0 }: { online?: boolean; unsyncedChanges?: number } = {}) {
    this.browserOnline = online;
    this.pending = unsyncedChanges;
  }

  providerStatus(status: ProviderStatus): ConnectionView {
    this.status = status;
    if (status !== 'connected') this.synced = false;
    return this.view();
  }

  providerSynced(synced: boolean): ConnectionView {
    this.synced = synced && this.status === 'connected';
    if (this.synced) {
      this.everSynced = true;
      this.pending = 0;
    }
    return this.view();
  }

  browserConnectivity(online: boolean): ConnectionView {
    this.browserOnline = online;
    return this.view();
  }

  refused(closeCode: number): ConnectionView {
    this.refusal = refusalOf(closeCode);
    this.status = 'disconnected';
    this.synced = false;
    return this.view();
  }

  /** A change made on this device (not one received from the server or loaded from local storage). */
  localChange(): ConnectionView {
    if (!this.isLive()) this.pending++;
    return this.view();
  }

  /** Changes restored from this device's storage that were never seen to reach the server. */
  restoredUnsynced(count: number): ConnectionView {
    if (!this.isLive()) this.pending = Math.max(this.pending, count);
    return this.view();
  }

  view(): ConnectionView {
    return { state: this.state(), unsyncedChanges: this.pending, refusal: this.refusal };
  }

  private isLive(): boolean {
    return this.browserOnline && this.status === 'connected' && this.synced;
  }

  private state(): ConnectionState {
    if (this.refusal) return 'refused';
    if (!this.browserOnline) return 'offline';
    if (this.isLive()) return 'connected';
    return this.everSynced ? 'reconnecting' : 'connecting';
  }
}
