import type { PackedUpdates } from './packed-updates';

/**
 * Messages between the bench (server side) and its typing-clients child process. A session is one
 * writer + one observer on one proposal; the writer types a range of the trace per `type` request,
 * so runs on two servers can be interleaved chunk by chunk.
 */
export type ToClients =
  | { readonly kind: 'load'; readonly updates: PackedUpdates }
  | {
      readonly kind: 'open';
      readonly session: string;
      readonly url: string;
      readonly proposalId: string;
      readonly writerToken: string;
      readonly observerToken: string;
    }
  | {
      readonly kind: 'type';
      readonly session: string;
      /** Type updates[from..to) (the session must have typed everything before `from`). */
      readonly from: number;
      readonly to: number;
      /** Most updates sent and not yet seen by the observer. */
      readonly window: number;
      /**
       * Updates per second offered on a fixed schedule (open loop, still bounded by `window`), or 0
       * for a closed loop that sends whenever the window allows. With a schedule, latency counts
       * from the scheduled moment, so a late send is not hidden (no coordinated omission).
       */
      readonly rate: number;
    }
  | { readonly kind: 'close'; readonly session: string; readonly expectedText: string }
  | { readonly kind: 'exit' };

export type FromClients =
  | { readonly kind: 'loaded'; readonly updates: number }
  | { readonly kind: 'opened'; readonly session: string }
  | { readonly kind: 'progress'; readonly acknowledged: number }
  | {
      readonly kind: 'typed';
      /** performance.now() in the client process when update i (of the range) was handed to the writer's provider, or was due. */
      readonly sentAt: Float64Array;
      /** performance.now() in the client process when the observer applied update i (of the range). */
      readonly seenAt: Float64Array;
      /** CPU time of the client process while typing the range (user + system, ms). */
      readonly cpuMs: number;
    }
  | {
      readonly kind: 'closed';
      /** Writer and observer both show the expected text. */
      readonly textMatches: boolean;
      readonly observedLength: number;
      /** Provider disconnects during the session (a healthy run has none). */
      readonly disconnects: number;
    }
  | { readonly kind: 'failed'; readonly message: string };
