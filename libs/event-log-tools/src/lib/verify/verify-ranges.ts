import type { StreamInfo } from '@concord/event-store';
import type { RangeReport, StreamRange, VerifyReport } from './verify-event-store';

/**
 * The ranges a check is split into, in listStreams order: a stream of at most `rangeSize` events is
 * one range; a longer one (a content stream of 260k updates) is cut every `rangeSize` revisions,
 * its last range running to the end of the stream (and its head record).
 */
export function planVerifyRanges(streams: readonly StreamInfo[], rangeSize: number): StreamRange[] {
  if (!Number.isInteger(rangeSize) || rangeSize < 1) throw new RangeError(`rangeSize must be a whole number ≥ 1, got ${rangeSize}`);
  const ranges: StreamRange[] = [];
  for (const head of streams) {
    const events = head.lastRevision + 1;
    let from = 0;
    while (events - from > rangeSize) {
      ranges.push({ head, from, to: from + rangeSize });
      from += rangeSize;
    }
    ranges.push({ head, from, to: null });
  }
  return ranges;
}

/**
 * One report from the ranges' reports, as a single pass in listStreams order would give it: the
 * first break of the first broken range, with the events found intact before it; a stream counts
 * as checked when its last range is.
 */
export function mergeRangeReports(ranges: readonly StreamRange[], reports: ReadonlyArray<RangeReport | undefined>): VerifyReport {
  let streamsChecked = 0;
  let eventsChecked = 0;
  for (let index = 0; index < ranges.length; index += 1) {
    const report = reports[index];
    if (!report) throw new Error(`range ${index} of ${ranges.length} (${ranges[index].head.stream}) was not checked`);
    eventsChecked += report.eventsChecked;
    if (report.chainBreak) return { ok: false, streamsChecked, eventsChecked, firstBreak: report.chainBreak };
    if (ranges[index].to === null) streamsChecked += 1;
  }
  return { ok: true, streamsChecked, eventsChecked, firstBreak: null };
}
