import type { EventStore } from '../lib/event-store.port';
import { describeAppendContract } from './contract/append.contract';
import type { ContractContext } from './contract/contract-support';
import { describeHashChainContract } from './contract/hash-chain.contract';
import { describeImportContract } from './contract/import.contract';
import { describeReadsContract } from './contract/reads.contract';
import { describeSubscriptionsContract } from './contract/subscriptions.contract';

export interface EventStoreFixture {
  store: EventStore;
  /** Closes the current store and opens a new one on the same storage (durable adapters). */
  reopen?: () => Promise<EventStore>;
  /** Closes every store the fixture opened and removes its storage. */
  cleanup: () => Promise<void>;
}

/** Optional parts of the contract; an adapter that lacks one shows its tests as skipped. */
export interface EventStoreCapabilities {
  /** The fixture provides `reopen`: the store keeps its events across a close and reopen. */
  durable: boolean;
  /**
   * Default true: event ids are looked up store-wide, so an id already stored in another stream is
   * refused. False for KurrentDB, which has no index by event id (see KurrentDbEventStore).
   */
  idempotencyAcrossStreams?: boolean;
  /**
   * Default true: importEvents stores the given positions. False for KurrentDB, which assigns its
   * own commit positions and keeps only the order (see KurrentDbEventStore.importEvents).
   */
  importKeepsPositions?: boolean;
  /**
   * Default true: appends issued together (not awaited one by one) are checked and written in the
   * order they were issued, as the group commits of SQLite and PostgreSQL do. False for KurrentDB,
   * where each append is its own request and the server may take them in any order.
   */
  appendsInIssueOrder?: boolean;
}

/** Runs the one EventStore contract against an adapter; `createFixture` gives a fresh, empty store. */
/**
 * Runs the one EventStore contract against an adapter; `createFixture` gives a fresh, empty store.
 * The contract is split by concern under `./contract/`: appends (expected revision, idempotency),
 * reads, subscriptions, the hash chain and durability, importEvents.
 */
export function describeEventStoreContract(
  adapterName: string,
  createFixture: () => Promise<EventStoreFixture>,
  capabilities: EventStoreCapabilities,
): void {
  describe(`EventStore contract: ${adapterName}`, () => {
    const context = { adapterName, capabilities } as ContractContext;

    beforeEach(async () => {
      context.fixture = await createFixture();
      context.store = context.fixture.store;
    });

    afterEach(async () => {
      await context.fixture.cleanup();
    });

    describeAppendContract(context);
    describeReadsContract(context);
    describeSubscriptionsContract(context);
    describeHashChainContract(context);
    describeImportContract(context);
  });
}
