/**
 * `@concord/event-log-tools/parallel`: the chain check on several threads, for the tools
 * (`npm run verify`, the benchmark). Kept out of the package index: the server checks on its own
 * thread (verifyEventStore) and never bundles the worker machinery or esbuild.
 */
export {
  verifyEventStoreInParallel,
  type ParallelVerifyOptions,
  type ParallelVerifyReport,
  type VerifyStoreSource,
} from './lib/verify/verify-parallel';
