import type { PackedUpdates } from './packed-updates';

/** Messages between the bench (server side) and its typing-clients child process. */
export type ToClients =
  | { readonly kind: 'load'; readonly updates: PackedUpdates }
  | {
      readonly kind: 'run';
      readonly url: string;
      readonly proposalId: string;
      readonly writerToken: string;
      readonly observerToken: string;
      /** Type updates[0..count). */
      readonly count: number;
      /** Most updates sent and not yet seen by the observer. */
      readonly window: number;
      /**
       * Updates per second offered on a fixed schedule (open loop, still bounded by `window`), or 0
       * for a closed loop that sends whenever the window allows. With a schedule, latency counts
       * from the scheduled moment, so a late send is not hidden (no coordinated omission).
       */
      readonly rate: number;
      /** What the observer must show once every update has arrived. */
      readonly expectedText: string;
    }
  | { readonly kind: 'exit' };

export type FromClients =
  | { readonly kind: 'loaded'; readonly updates: number }
  | { readonly kind: 'progress'; readonly acknowledged: number }
  | {
      readonly kind: 'done';
      /** performance.now() in the client process when update i was handed to the writer's provider. */
      readonly sentAt: Float64Array;
      /** performance.now() in the client process when the observer applied update i. */
      readonly seenAt: Float64Array;
      readonly textMatches: boolean;
      readonly observedLength: number;
      /** Provider disconnects during the run (the run is disturbed if any). */
      readonly disconnects: number;
      /** CPU time of the client process during the run (user + system, ms). */
      readonly cpuMs: number;
    }
  | { readonly kind: 'failed'; readonly message: string };
