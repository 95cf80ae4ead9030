/** Messages between the bench and the concurrent phase's client process (see concurrent-clients.ts). */
import type { Credential } from './load-protocol';

export interface Endpoint {
  readonly url: string;
  readonly credential: Credential;
}

export interface ConcurrentRunRequest {
  readonly kind: 'run';
  /** The gzipped concurrent trace (clownschool). */
  readonly tracePath: string;
  /** Replay only the first N transactions (a prefix is causally closed); null: all. */
  readonly limit: number | null;
  /** Flow control: at most this many of an agent's transactions not yet received by every other agent. */
  readonly window: number;
  readonly proposalId: string;
  /** Where agent a's client connects, and as whom. */
  readonly agents: readonly Endpoint[];
  /** Where the fresh observer connects at the end. */
  readonly observer: Endpoint;
  /** Give up after this long (the replay, not the sync). */
  readonly timeoutMs: number;
}

export interface AgentReport {
  readonly agent: number;
  readonly clientId: number;
  readonly txns: number;
  /** See AgentFigures (concurrent-replay.ts). */
  readonly roundTripWaitsMs: Float64Array;
  readonly heldBackMs: Float64Array;
  readonly windowWaitsMs: Float64Array;
  /** This agent's document equals the expected text at the end. */
  readonly converged: boolean;
}

export interface ConcurrentRunReport {
  readonly kind: 'ran';
  readonly txns: number;
  /** Transactions the whole trace has. */
  readonly traceTxns: number;
  readonly expectedLength: number;
  /** What the expected text is: the trace's endContent (whole trace) or a local replay of the prefix. */
  readonly expected: 'endContent' | 'local replay of the prefix';
  /** Replay start → every agent's document holds every transaction. */
  readonly totalMs: number;
  /** Replay start → last transaction sent. */
  readonly sendMs: number;
  readonly agents: readonly AgentReport[];
  readonly observerConverged: boolean;
  /** Why the fresh observer could not read the document (null: it did). */
  readonly observerError: string | null;
  /** Observer started → synced (includes waiting for a ticket from a lagging node). */
  readonly observerSyncMs: number;
  /** CPU of the client process during the replay, % of one core. */
  readonly clientCpuPercent: number;
  readonly disconnects: number;
}

export type ToConcurrentClients = ConcurrentRunRequest | { readonly kind: 'exit' };

export type FromConcurrentClients =
  | ConcurrentRunReport
  | { readonly kind: 'progress'; readonly sent: number; readonly txns: number; readonly elapsedMs: number }
  | { readonly kind: 'failed'; readonly message: string };
