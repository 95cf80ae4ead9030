/** The limits every collab connection is held to, and their defaults from the server options. */
import type { CollabServerOptions } from './collab-server-options';

export interface ConnectionLimits {
  readonly maxUpdateBytes: number;
  readonly maxBufferedBytes: number;
  /** Malformed frames tolerated before the socket is closed with 1003. */
  readonly maxMalformedFrames: number;
  /** Edits of one connection waiting for the store before it is told to back off (1013). */
  readonly maxPendingEdits: number;
  readonly allowedRootTypes: readonly string[] | undefined;
  readonly awareness: AwarenessRateLimits;
}

/**
 * How often one connection's own awareness changes are relayed, and when it is a flood.
 * Defaults (connectionLimitsFrom): relayed at most 20/s with a burst of 40; more is coalesced (the newest
 * state per client id is relayed when the bucket refills), so the people receiving see a caret at
 * up to 20 frames/s whatever one sender does. Over 200/s sustained (burst 400) the connection is
 * closed with 1008: no person's input gets there (typing ≤ 15 changes/s, key repeat ≤ 33/s, a
 * mouse drag of the selection ≤ the display's refresh rate, 60–144/s).
 */
export interface AwarenessRateLimits {
  readonly relayPerSecond: number;
  readonly relayBurst: number;
  readonly floodPerSecond: number;
  readonly floodBurst: number;
}

/** The per-connection limits of a server, each option or its default. */
export function connectionLimitsFrom(
  options: CollabServerOptions,
  maxUpdateBytes: number,
  allowedRootTypes: readonly string[] | undefined,
): ConnectionLimits {
  return {
    maxUpdateBytes,
    maxBufferedBytes: options.maxBufferedBytes ?? 8 * 1024 * 1024,
    maxMalformedFrames: options.maxMalformedFrames ?? 100,
    maxPendingEdits: options.maxPendingEditsPerConnection ?? 1_000,
    allowedRootTypes,
    awareness: {
      relayPerSecond: options.awarenessRate?.relayPerSecond ?? 20,
      relayBurst: options.awarenessRate?.relayBurst ?? 40,
      floodPerSecond: options.awarenessRate?.floodPerSecond ?? 200,
      floodBurst: options.awarenessRate?.floodBurst ?? 400,
    },
  };
}
