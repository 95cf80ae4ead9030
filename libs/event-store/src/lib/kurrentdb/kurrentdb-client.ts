import type { KurrentDBClient } from '@kurrent/kurrentdb-client';

/** The part of the KurrentDB client this adapter uses (tests substitute an in-process model). */
export type KurrentDbClientLike = Pick<
  KurrentDBClient,
  'appendToStream' | 'readStream' | 'readAll' | 'subscribeToAll' | 'dispose'
>;

/** What a successful or refused append returns. */
export type KurrentDbAppendResult = Awaited<ReturnType<KurrentDbClientLike['appendToStream']>>;
