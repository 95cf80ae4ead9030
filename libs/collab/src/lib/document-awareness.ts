import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import type * as Y from 'yjs';
import type { AwarenessRelay } from './cluster/awareness-relay';
import { CollabLogger, describeError } from './logger';
import { AwarenessEntry, encodeAllAwarenessStates, encodeAwarenessMessage } from './protocol/collab-messages';
import type { DocumentPeer } from './document-peer';

export type AwarenessVerdict = { readonly accepted: true } | { readonly accepted: false; readonly reason: string };

export type AwarenessCheck =
  | { readonly ok: true; readonly own: readonly AwarenessEntry[]; readonly claim: string | null }
  | { readonly ok: false; readonly code: 'too-large' | 'invalid'; readonly reason: string };

export interface AwarenessLimits {
  /** Most awareness client ids one connection may speak for. */
  readonly maxAwarenessClientsPerPeer: number;
  /** Largest encoded (JSON) awareness state of one client id. */
  readonly maxAwarenessStateBytes: number;
}

const FROM_OTHER_NODE = Symbol('from-other-node');
const PEER_LEFT = Symbol('peer-left');

/**
 * The presence (y-protocols awareness) of one live document: which connection speaks for each
 * awareness client id (a client cannot impersonate another), the server-set `user` field, the
 * broadcast to this node's peers and the relay to other nodes. Awareness is never stored.
 */
export class DocumentAwareness {
  readonly awareness: awarenessProtocol.Awareness;
  private readonly owners = new Map<number, DocumentPeer>();
  private destroyed = false;

  constructor(
    private readonly proposalId: string,
    doc: Y.Doc,
    private readonly peers: ReadonlySet<DocumentPeer>,
    private readonly relay: AwarenessRelay,
    private readonly limits: AwarenessLimits,
    private readonly logger: CollabLogger,
  ) {
    this.awareness = new awarenessProtocol.Awareness(doc);
    // The server is not a participant: it has no presence of its own.
    this.awareness.setLocalState(null);
    this.awareness.on('update', this.broadcast);
    relay.join(proposalId, this.applyFromOtherNode);
  }

  /** The awareness states of everyone, as one message for a peer (null when there are none). */
  sendAll(peer: DocumentPeer): void {
    const presence = encodeAllAwarenessStates(this.awareness);
    if (presence) peer.send(presence);
  }

  /** Drops the states of the client ids a leaving peer spoke for (the others are told). */
  removePeer(peer: DocumentPeer): void {
    const owned = [...this.owners].filter(([, owner]) => owner === peer).map(([clientId]) => clientId);
    for (const clientId of owned) this.owners.delete(clientId);
    if (owned.length > 0 && !this.destroyed) awarenessProtocol.removeAwarenessStates(this.awareness, owned, PEER_LEFT);
  }

  /**
   * Sorts the entries of an awareness update a connection sent. The stock client re-broadcasts every
   * awareness change it hears, so entries for other connections' client ids are usually echoes (a
   * clock the server already has): those are left out silently. An entry that claims a newer state
   * for a client id another user's connection owns (or the server's own) is left out and reported
   * as `claim`. What remains (`own`) are the connection's own changes, to be rate-limited by the
   * connection and then applied with `applyOwn`. Refused outright: an own state over the size limit
   * (`too-large`), one that is not an object, or more client ids than a connection may speak for
   * (`invalid`).
   */
  check(peer: DocumentPeer, entries: readonly AwarenessEntry[]): AwarenessCheck {
    const own: AwarenessEntry[] = [];
    const serverClientId = this.awareness.doc.clientID;
    let claim: string | null = null;
    for (const entry of entries) {
      const owner = this.owners.get(entry.clientId);
      const foreign = entry.clientId === serverClientId || (owner && owner !== peer && owner.userId !== peer.userId);
      const knownClock = this.awareness.meta.get(entry.clientId)?.clock ?? -1;
      if (foreign) {
        if (entry.clock > knownClock || entry.clientId === serverClientId) {
          claim = entry.clientId === serverClientId ? 'claims the server client id' : `client id ${entry.clientId} belongs to another connection`;
        }
        continue;
      }
      // An echo of what the server already holds (the stock client repeats what it hears) is no change.
      if (entry.clock < knownClock || (entry.clock === knownClock && entry.state !== null)) continue;
      if (entry.stateBytes > this.limits.maxAwarenessStateBytes) {
        return {
          ok: false,
          code: 'too-large',
          reason: `Your presence (awareness state) is ${entry.stateBytes} bytes; the limit is ${this.limits.maxAwarenessStateBytes} bytes.`,
        };
      }
      if (entry.state !== null && (typeof entry.state !== 'object' || Array.isArray(entry.state))) {
        return { ok: false, code: 'invalid', reason: 'An awareness state must be a JSON object or null.' };
      }
      own.push(entry);
    }
    const alreadyOwned = [...this.owners.values()].filter((owner) => owner === peer).length;
    const newlyClaimed = new Set(own.filter((entry) => this.owners.get(entry.clientId) !== peer).map((entry) => entry.clientId)).size;
    if (alreadyOwned + newlyClaimed > this.limits.maxAwarenessClientsPerPeer) {
      return { ok: false, code: 'invalid', reason: `A connection may speak for at most ${this.limits.maxAwarenessClientsPerPeer} awareness client ids.` };
    }
    return { ok: true, own, claim };
  }

  /**
   * Applies a connection's own awareness changes (from `check`), with the `user` field of every
   * state replaced by the connection's server-set presence: others see the signed-in name and the
   * colour derived from the user id, whatever the client claimed.
   */
  applyOwn(peer: DocumentPeer, own: readonly AwarenessEntry[]): AwarenessVerdict {
    if (this.destroyed || own.length === 0 || !this.peers.has(peer)) return { accepted: true };
    // The same user reconnecting (the old socket not yet noticed as dead) takes its client id over.
    for (const entry of own) this.owners.set(entry.clientId, peer);
    const rewritten = own.map((entry) => ({
      ...entry,
      state: entry.state === null ? null : { ...(entry.state as Record<string, unknown>), user: { ...peer.presence } },
    }));
    try {
      awarenessProtocol.applyAwarenessUpdate(this.awareness, encodeAwarenessEntries(rewritten), peer);
    } catch (error) {
      return { accepted: false, reason: `awareness update cannot be applied: ${String(error)}` };
    }
    for (const entry of own) if (entry.state === null) this.owners.delete(entry.clientId);
    return { accepted: true };
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.relay.leave(this.proposalId);
    this.owners.clear();
    this.awareness.off('update', this.broadcast);
    this.awareness.destroy();
  }

  private readonly broadcast = (changes: { added: number[]; updated: number[]; removed: number[] }, origin: unknown): void => {
    const changed = [...changes.added, ...changes.updated, ...changes.removed];
    if (changed.length === 0) return;
    const update = awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed);
    const message = encodeAwarenessMessage(update);
    for (const peer of this.peers) if (peer !== origin) peer.send(message);
    const fromThisNode = origin === PEER_LEFT || this.peers.has(origin as DocumentPeer);
    if (fromThisNode) this.relay.publish(this.proposalId, update);
  };

  private readonly applyFromOtherNode = (update: Uint8Array): void => {
    if (this.destroyed) return;
    try {
      awarenessProtocol.applyAwarenessUpdate(this.awareness, update, FROM_OTHER_NODE);
    } catch (error) {
      this.logger.warn({ proposalId: this.proposalId, ...describeError(error) }, 'ignored a malformed awareness update from another node');
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
