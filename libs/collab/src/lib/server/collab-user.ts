/** Who a collab connection belongs to, and what it may do with the document. */
/**
 * `suggest-only`: a delegate's connection — its updates are recorded only when every change is a
 * suggestion of theirs (suggestion-policy.ts); otherwise it writes like `read-write`.
 */
export type Access = 'read-write' | 'suggest-only' | 'read-only';

export interface CollabUser {
  readonly userId: string;
  readonly name: string;
  /** When the credential the connection was opened with ends (ms since the epoch): closed with 4401 then. */
  readonly expiresAt?: number;
  /** The sign-in session the connection belongs to: ending it closes the connection (reauthorize). */
  readonly sessionId?: string;
}
