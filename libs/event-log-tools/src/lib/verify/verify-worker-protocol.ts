import type { EventStoreEnv } from '@concord/event-store';
import type { RangeReport, StreamRange } from './verify-event-store';

/**
 * How a worker thread opens its own connection to the store being checked — the same store: a
 * worker reading another store would report on that one.
 */
export type VerifyStoreSource =
  | { readonly env: EventStoreEnv }
  | { readonly sqliteFile: string }
  | { readonly postgres: { readonly url: string; readonly schema?: string } };

export interface VerifyWorkerData {
  readonly source: VerifyStoreSource;
  readonly pageSize: number;
}

export type ToVerifyWorker = { readonly type: 'check'; readonly index: number; readonly range: StreamRange } | { readonly type: 'close' };

export type FromVerifyWorker =
  | { readonly type: 'ready' }
  | { readonly type: 'checked'; readonly index: number; readonly report: RangeReport }
  | { readonly type: 'failed'; readonly index: number | null; readonly message: string };
