import { parseOptions } from './options';
import { recommendCheckpointInterval } from './results';
import type { HistoryResult } from './history/history-phase';
import { distributionOf, median, percentile } from './stats';
import { packUpdates, unpackUpdates } from './throughput/packed-updates';

describe('stats', () => {
  it('takes nearest-rank percentiles', () => {
    const sorted = Float64Array.from({ length: 100 }, (_, index) => index + 1);
    expect(percentile(sorted, 0.5)).toBe(50);
    expect(percentile(sorted, 0.99)).toBe(99);
    expect(percentile(sorted, 1)).toBe(100);
    expect(median([5, 1, 3])).toBe(3);
  });

  it('summarises unsorted samples', () => {
    const distribution = distributionOf([4, 1, 3, 2]);
    expect(distribution).toMatchObject({ count: 4, mean: 2.5, p50: 2, max: 4 });
  });
});

describe('packed updates', () => {
  it('round-trips many small updates through one buffer', () => {
    const updates = [Uint8Array.of(1, 2, 3), Uint8Array.of(), Uint8Array.of(9)];
    expect(unpackUpdates(packUpdates(updates)).map((update) => [...update])).toEqual([[1, 2, 3], [], [9]]);
  });
});

describe('options', () => {
  it('defaults to the whole trace with K = 100, 500, 1000', () => {
    const options = parseOptions([]);
    expect(options).toMatchObject({ trace: 'automerge-paper', limit: null, updates: null, window: 256, checkpointIntervals: [100, 500, 1000] });
  });

  it('refuses a window the server would close the connection for, and unknown options', () => {
    expect(() => parseOptions(['--window=5000'])).toThrow(/maxPendingEditsPerConnection/);
    expect(() => parseOptions(['--fast'])).toThrow(/unknown option/);
  });
});

describe('checkpoint interval recommendation', () => {
  const result = (checkpointEvery: number, slowestRevisionMs: number): HistoryResult =>
    ({ checkpointEvery, revisions: [{ totalMs: slowestRevisionMs / 2 }], worstCaseRevision: { totalMs: slowestRevisionMs } }) as unknown as HistoryResult;

  it('takes the largest K whose slowest revision is within 2/3 of the budget', () => {
    expect(recommendCheckpointInterval([result(100, 10), result(500, 60), result(1000, 70)])).toBe(500);
  });

  it('falls back to the fastest when none is within it', () => {
    expect(recommendCheckpointInterval([result(100, 80), result(500, 90)])).toBe(100);
  });
});
