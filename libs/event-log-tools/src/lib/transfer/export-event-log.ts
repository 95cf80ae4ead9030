import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import type { Writable } from 'node:stream';
import type { EventStore, RecordedEvent } from '@concord/event-store';
import { EVENT_LOG_FORMAT, EVENT_LOG_VERSION, EventLogHeader, formatEventLine, formatHeaderLine } from './event-log-format';

export interface ExportProgress {
  eventsWritten: number;
  /** Position of the last event written. */
  position: number;
  /** Position of the last event to export (the store's head when the export started). */
  lastPosition: number;
}

export interface ExportOptions {
  /** Events read per request (default 1000). */
  pageSize?: number;
  /** Called after every page written. */
  onProgress?: (progress: ExportProgress) => void;
  /** The header's `exportedAt` (default now). */
  now?: () => string;
}

/**
 * Every event with a position up to `upToPosition`, in global order, read page by page (memory is
 * bounded by the page size, not the log).
 */
export async function* readEventsInOrder(
  store: EventStore,
  upToPosition: number,
  pageSize = 1_000,
): AsyncGenerator<RecordedEvent[]> {
  let afterPosition = 0;
  while (afterPosition < upToPosition) {
    const page = (await store.readAll({ afterPosition, maxCount: pageSize })).filter((event) => event.position <= upToPosition);
    if (page.length === 0) return;
    yield page;
    afterPosition = page[page.length - 1].position;
  }
}

/**
 * Writes the event lines (no header) of every event up to `upToPosition` to `output`, respecting
 * backpressure; returns the counts the header needs.
 */
export async function writeEventLines(
  store: EventStore,
  output: Writable,
  upToPosition: number,
  options: Omit<ExportOptions, 'now'> = {},
): Promise<Pick<EventLogHeader, 'eventCount' | 'streamCount' | 'lastPosition'>> {
  const streams = new Set<string>();
  let eventCount = 0;
  let lastPosition = 0;
  for await (const page of readEventsInOrder(store, upToPosition, options.pageSize)) {
    let chunk = '';
    for (const event of page) {
      chunk += formatEventLine(event);
      streams.add(event.stream);
    }
    eventCount += page.length;
    lastPosition = page[page.length - 1].position;
    if (!output.write(chunk)) await once(output, 'drain');
    options.onProgress?.({ eventsWritten: eventCount, position: lastPosition, lastPosition: upToPosition });
  }
  return { eventCount, streamCount: streams.size, lastPosition };
}

/**
 * Exports the whole log to `file` as NDJSON (see event-log-format.ts). The log is cut at the head
 * position read when the export starts, so events appended meanwhile are left out and the header
 * counts exactly what follows it.
 *
 * The header comes first but its counts are known only at the end, so the events are written to a
 * temporary file next to `file`, then the header and the events are copied to a second temporary
 * file, which is fsynced and renamed over `file`: a reader never sees a half-written export.
 */
export async function exportEventLogToFile(
  store: EventStore,
  file: string,
  options: ExportOptions = {},
): Promise<EventLogHeader> {
  const bodyFile = `${file}.${process.pid}.events.tmp`;
  const finalFile = `${file}.${process.pid}.tmp`;
  try {
    const upToPosition = await store.headPosition();
    const body = createWriteStream(bodyFile);
    const counts = await writeEventLines(store, body, upToPosition, options);
    body.end();
    await once(body, 'close');

    const header: EventLogHeader = {
      format: EVENT_LOG_FORMAT,
      version: EVENT_LOG_VERSION,
      source: store.kind,
      exportedAt: (options.now ?? (() => new Date().toISOString()))(),
      ...counts,
    };
    const output = createWriteStream(finalFile);
    output.write(formatHeaderLine(header));
    await pipeline(createReadStream(bodyFile), output);
    const handle = await open(finalFile, 'r+');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(finalFile, file);
    return header;
  } finally {
    await rm(bodyFile, { force: true });
    await rm(finalFile, { force: true });
  }
}
