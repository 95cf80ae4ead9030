import { parseOptions } from '../options';
import { distributionOf } from '../stats';
import { compareModes, PgAppendRun } from './pg-appends-phase';
import { evaluatePgAppendsTarget } from './pg-appends-report';

const run = (mode: PgAppendRun['mode'], writers: number, appendsPerSecond: number, p50: number): PgAppendRun => ({
  mode,
  writers,
  appends: appendsPerSecond * 5,
  seconds: 5,
  appendsPerSecond,
  latencyMs: { ...distributionOf([p50]) },
  appendsPerTransaction: 1,
});

describe('pg-appends', () => {
  it('parses --only=pg-appends and its writer counts', () => {
    expect(parseOptions(['--only=pg-appends'])).toMatchObject({ only: 'pg-appends', pgWriters: [1, 100], pgSeconds: 5, pgWarmup: 1 });
    expect(parseOptions(['--only=pg-appends', '--pg-writers=10,50', '--pg-seconds=3'])).toMatchObject({ pgWriters: [10, 50], pgSeconds: 3 });
    expect(() => parseOptions(['--pg-writers=0'])).toThrow(/positive integers/);
    expect(() => parseOptions(['--only=everything'])).toThrow(/load, concurrent or pg-appends/);
  });

  it('compares group commit with one transaction per append, per writer count', () => {
    const runs = [run('per-append', 1, 700, 1.2), run('group-commit', 1, 700, 1.2), run('per-append', 100, 800, 120), run('group-commit', 100, 8_000, 12)];
    expect(compareModes(runs)).toEqual([
      { writers: 1, appendsPerSecond: 1, latencyP50: 1 },
      { writers: 100, appendsPerSecond: 10, latencyP50: 0.1 },
    ]);
    expect(compareModes([run('group-commit', 5, 10, 1)])).toEqual([]);
  });

  it('checks the target on the group-commit run with 100 writers only', () => {
    expect(evaluatePgAppendsTarget([run('per-append', 100, 9_000, 1), run('group-commit', 100, 4_999, 1)]).met).toBe(false);
    expect(evaluatePgAppendsTarget([run('group-commit', 100, 5_000, 1)])).toMatchObject({ met: true, measured: '5,000' });
    expect(evaluatePgAppendsTarget([run('group-commit', 10, 9_000, 1)])).toMatchObject({ met: null, measured: 'not run' });
  });
});
