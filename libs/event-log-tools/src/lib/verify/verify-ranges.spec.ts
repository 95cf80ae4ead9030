import type { StreamInfo } from '@concord/event-store';
import { mergeRangeReports, planVerifyRanges } from './verify-ranges';

const head = (stream: string, events: number): StreamInfo => ({ stream, lastRevision: events - 1, lastHash: `h-${stream}` });

describe('planVerifyRanges', () => {
  it('keeps a stream of at most rangeSize events whole and cuts longer ones, the last range running to the end', () => {
    const streams = [head('a', 1), head('b', 3), head('c', 4), head('d', 7)];
    const ranges = planVerifyRanges(streams, 3).map((range) => [range.head.stream, range.from, range.to]);
    expect(ranges).toEqual([
      ['a', 0, null],
      ['b', 0, null],
      ['c', 0, 3],
      ['c', 3, null],
      ['d', 0, 3],
      ['d', 3, 6],
      ['d', 6, null],
    ]);
  });

  it('covers every revision of every stream exactly once, for many lengths and sizes', () => {
    for (let size = 1; size <= 9; size += 1) {
      const streams = Array.from({ length: 12 }, (_, index) => head(`s${index}`, 1 + ((index * 7 + size * 3) % 23)));
      const covered = new Map<string, number[]>();
      for (const range of planVerifyRanges(streams, size)) {
        const end = range.to ?? range.head.lastRevision + 1;
        expect(end - range.from).toBeLessThanOrEqual(size);
        for (let revision = range.from; revision < end; revision += 1) covered.set(range.head.stream, [...(covered.get(range.head.stream) ?? []), revision]);
      }
      for (const stream of streams) {
        expect(covered.get(stream.stream)).toEqual(Array.from({ length: stream.lastRevision + 1 }, (_, revision) => revision));
      }
    }
  });

  it('refuses a range size that is not a whole number of at least one', () => {
    expect(() => planVerifyRanges([head('a', 2)], 0)).toThrow(RangeError);
    expect(() => planVerifyRanges([head('a', 2)], 1.5)).toThrow(RangeError);
  });
});

describe('mergeRangeReports', () => {
  const ranges = planVerifyRanges([head('a', 2), head('b', 5), head('c', 1)], 2);
  // a | b 0-1, b 2-3, b 4- | c

  it('adds up an intact log, counting a stream when its last range is in', () => {
    const reports = ranges.map((range) => ({ eventsChecked: (range.to ?? range.head.lastRevision + 1) - range.from, chainBreak: null }));
    expect(mergeRangeReports(ranges, reports)).toEqual({ ok: true, streamsChecked: 3, eventsChecked: 8, firstBreak: null });
  });

  it('names the break of the first broken range in order, with the events intact before it, whatever broke later', () => {
    const brokenAt = { stream: 'b', revision: 3, reason: 'the recorded hash does not match the recomputed hash (data, type or metadata changed)' };
    const later = { stream: 'c', revision: 0, reason: 'revision 0 is missing' };
    const reports = [
      { eventsChecked: 2, chainBreak: null },
      { eventsChecked: 2, chainBreak: null },
      { eventsChecked: 1, chainBreak: brokenAt },
      undefined, // not started: after a break already found
      { eventsChecked: 0, chainBreak: later },
    ];
    expect(mergeRangeReports(ranges, reports)).toEqual({ ok: false, streamsChecked: 1, eventsChecked: 5, firstBreak: brokenAt });
  });

  it('refuses to report past a range that was not checked', () => {
    const reports = [{ eventsChecked: 2, chainBreak: null }, undefined];
    expect(() => mergeRangeReports(ranges, reports)).toThrow('range 1 of 5 (b) was not checked');
  });
});
