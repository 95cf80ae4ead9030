import type { ParsedUpdate } from '@concord/content';
import type * as Y from 'yjs';
import type { UpdateKind } from './persistence/content-events';
import type { RefusalCode } from './protocol/collab-messages';

/** Who a connection is to the others: set by the server from the signed-in user, never by the client. */
export interface Presence {
  readonly name: string;
  /** `#rrggbb`, from the user id (`authorColor`). */
  readonly color: string;
}

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
  /** The update's parse from validation (`validateYjsUpdate(…).parsed`), so it is not parsed again. */
  readonly parsed?: ParsedUpdate;
  readonly userId: string;
  readonly kind: UpdateKind;
  /** The connection it came from: it already has the change, so it is not sent back. */
  readonly origin?: DocumentPeer;
  /** The writer may only suggest (a delegate): recorded only if every change is their suggestion. */
  readonly suggestOnly?: boolean;
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
