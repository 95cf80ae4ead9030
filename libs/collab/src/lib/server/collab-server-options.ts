import type { EventStore } from '@concord/event-store';
import type { CollabLogger } from '../logger';
import type { CollabUser } from './collab-user';
import type { AwarenessRateLimits } from './connection-limits';
import type { Authorization } from './reauthorization';

export interface CollabServerOptions {
  readonly store: EventStore;
  /**
   * Resolves the credential query parameter (`credentialParam`) to a user, or null when it is
   * invalid/expired/used. A user with `expiresAt` is closed with 4401 when that time comes.
   */
  readonly authenticate: (credential: string, context: { proposalId: string }) => Promise<CollabUser | null>;
  /**
   * The query parameter that carries the credential (default `token`). The API uses `ticket`
   * (single-use tickets), so an access token in `?token=` is treated as no credential at all.
   */
  readonly credentialParam?: string;
  /**
   * Called when a connection sends an edit (at most once per 30 s per connection): the API counts it
   * as activity of the sign-in session. Presence (awareness) alone does not count.
   */
  readonly onActivity?: (user: CollabUser) => void;
  readonly authorize: (user: CollabUser, proposalId: string) => Promise<Authorization>;
  /** Origins allowed besides the same origin (Origin host = Host header); '*' allows any. */
  readonly allowedOrigins?: readonly string[];
  /** Path the endpoint lives under; the proposal id is the next segment. Default '/collab'. */
  readonly pathPrefix?: string;
  /** Largest accepted Yjs update (default 1 MiB); a larger one is refused `too-large` and closed 4413. */
  readonly maxUpdateBytes?: number;
  /**
   * WebSocket frame limit (default 16 MiB), far above the update limit: a frame between the two is
   * read and refused with a reason; only a larger one dies with 1009.
   */
  readonly maxFrameBytes?: number;
  /** Largest encoded state a document may grow to (default 10 MiB); edits beyond are refused `too-large`. */
  readonly maxDocumentBytes?: number;
  /** A content snapshot every K ContentUpdated events (default 500); named before snapshots were. */
  readonly checkpointEvery?: number;
  /** A document without connections for this long is destroyed (default 30 s). */
  readonly idleEvictMs?: number;
  /** Ping period; a socket that misses one ping is terminated (default 30 s). */
  readonly pingIntervalMs?: number;
  /** A connection whose unsent bytes exceed this is closed with 1013 (default 8 MiB). */
  readonly maxBufferedBytes?: number;
  /** Malformed frames one connection may send before it is closed with 1003 (default 100). */
  readonly maxMalformedFrames?: number;
  /** Edits one connection may have waiting for the store (default 1000). */
  readonly maxPendingEditsPerConnection?: number;
  /**
   * Largest encoded (JSON) awareness state of one client id (default 4 KiB; a Tiptap caret state is
   * about 300 bytes). Larger: `too-large:` and close 4413.
   */
  readonly maxAwarenessStateBytes?: number;
  /** Awareness rate limits per connection (see AwarenessRateLimits for the defaults and why). */
  readonly awarenessRate?: Partial<AwarenessRateLimits>;
  /** Root types an update may write; default ['content'] (the Tiptap field). Null allows any. */
  readonly allowedRootTypes?: readonly string[] | null;
  /**
   * How refusals are told: 'http' (default) answers the upgrade with 401/403/404; 'close-code'
   * accepts the socket and closes it at once with 4401/4403/4404, which makes the stock provider
   * stop reconnecting. Neither sends a document byte.
   */
  readonly refusal?: 'http' | 'close-code';
  /** Longest wait for authenticate + authorize + load before the upgrade is refused with 503 (default 10 s). */
  readonly handshakeTimeoutMs?: number;
  readonly logger?: CollabLogger;
  /** Awareness crosses nodes through Redis pub/sub when set; otherwise it stays node-local. */
  readonly redisUrl?: string;
  readonly nodeId?: string;
}
