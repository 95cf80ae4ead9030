/** Messages between the bench and one load-clients child process (see load-clients.ts). */

/** How a client gets in: Concord wants a fresh single-use ticket per connect, the memory relay takes any token. */
export type Credential =
  | { readonly kind: 'token'; readonly token: string }
  | { readonly kind: 'ticket'; readonly httpBase: string; readonly accessToken: string };

export interface DocumentAssignment {
  readonly proposalId: string;
  /** Where the editors connect (node A) and each editor's credential. */
  readonly editorUrl: string;
  readonly editorCredentials: readonly Credential[];
  /** Where the observer connects (node B for two nodes). */
  readonly observerUrl: string;
  readonly observerCredential: Credential;
}

export type ToLoadClients =
  | { readonly kind: 'open'; readonly documents: readonly DocumentAssignment[] }
  | {
      readonly kind: 'run';
      /** Updates per second per editor, open loop (each editor on its own random phase). */
      readonly rate: number;
      readonly warmupMs: number;
      readonly durationMs: number;
      /** Wait after the last send before unobserved updates count as lost. */
      readonly graceMs: number;
    }
  | { readonly kind: 'exit' };

export interface DocumentReport {
  readonly proposalId: string;
  /** Per editor: send times (NaN = not sent), whether each send was in the window, observer receive times (NaN = not seen). */
  readonly editors: ReadonlyArray<{ sentAt: Float64Array; measured: Uint8Array; seenAt: Float64Array }>;
  /** Observer and every editor hold the same text at the end. */
  readonly converged: boolean;
  readonly textLength: number;
}

export type FromLoadClients =
  | { readonly kind: 'opened'; readonly clients: number }
  | {
      readonly kind: 'ran';
      readonly documents: readonly DocumentReport[];
      /** Scheduled → actual send, ms (how late this process was in sending: client overload). */
      readonly sendLagMs: Float64Array;
      /** Event-loop delay of this client process during the window (ms). */
      readonly loopDelayMs: { readonly p50: number; readonly p99: number; readonly max: number };
      /** CPU of this client process during the window, % of one core. */
      readonly cpuPercent: number;
      readonly disconnects: number;
    }
  | { readonly kind: 'failed'; readonly message: string };
