import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seedRealisticLog } from '@concord/event-store/testing';
import { type EventStore, type ImportEventsResult, type RecordedEvent, MemoryEventStore } from '@concord/event-store';
import { verifyEventStore } from '../verify/verify-event-store';
import { EventLogFormatError, formatEventLine, parseEventLine, parseHeaderLine } from './event-log-format';
import { exportEventLogToFile } from './export-event-log';
import {
  importEventLog,
  importEventLogFile,
  ImportIncompleteError,
  ImportProgress,
  ImportTargetNotEmptyError,
  verifyEventLog,
} from './import-event-log';

const FIXED_TIME = () => '2026-04-01T12:00:00.000Z';

async function* linesOf(text: string): AsyncGenerator<string> {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  for (const line of lines) yield line;
}

describe('export and import of the event log (memory stores)', () => {
  let directory: string;
  let source: MemoryEventStore;
  let exported: string;
  let header: string;
  let body: string[];

  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 'concord-transfer-'));
    source = new MemoryEventStore();
    await seedRealisticLog(source, { proposals: 2, updatesPerProposal: 12, checkpointEvery: 5 });
    const file = join(directory, 'log.ndjson');
    await exportEventLogToFile(source, file, { now: FIXED_TIME, pageSize: 7 });
    exported = readFileSync(file, 'utf8');
    [header, ...body] = exported.trimEnd().split('\n');
  });

  afterAll(async () => {
    await source.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('writes a header and one line per event in global order', async () => {
    const events = await source.readAll();
    expect(JSON.parse(header)).toEqual({
      format: 'concord-event-log',
      version: 1,
      source: 'memory',
      exportedAt: '2026-04-01T12:00:00.000Z',
      eventCount: events.length,
      streamCount: (await source.listStreams()).length,
      lastPosition: events[events.length - 1].position,
    });
    expect(body).toHaveLength(events.length);
    expect(body.map((line) => JSON.parse(line).position)).toEqual(events.map((event) => event.position));
    expect(exported.endsWith('\n')).toBe(true);
  });

  it('writes binary payloads as dataBase64 and JSON payloads as canonical data, fields in a fixed order', async () => {
    const binary = body.map((line) => JSON.parse(line)).find((line) => line.type === 'ContentUpdated');
    expect(binary).toMatchObject({ dataBase64: expect.any(String) });
    expect(binary).not.toHaveProperty('data');
    const json = body.find((line) => line.includes('"type":"SubmissionOpened"')) as string;
    expect(json).toMatch(/^\{"position":\d+,"stream":"submission-s1","revision":0,"id":"[^"]+","type":"SubmissionOpened","data":\{"consultation"/);
    expect(json).toContain('"metadata":{"at":');
    expect(json).toContain('Input — 技能');
  });

  it('round-trips an event line exactly', async () => {
    for (const event of await source.readAll()) {
      const line = formatEventLine(event);
      const parsed = parseEventLine(line.trimEnd(), 2);
      expect(parsed).toEqual(event);
      expect(formatEventLine(parsed)).toBe(line);
    }
  });

  it('imports into an empty store and exports the same event lines again', async () => {
    const target = new MemoryEventStore();
    const progress: ImportProgress[] = [];
    const report = await importEventLogFile(target, join(directory, 'log.ndjson'), {
      batchSize: 10,
      onProgress: (step) => progress.push(step),
    });
    expect(report).toMatchObject({ eventCount: body.length, eventsWritten: body.length });
    expect(await target.readAll()).toEqual(await source.readAll());
    expect(await verifyEventStore(target)).toMatchObject({ ok: true, eventsChecked: body.length });
    expect(progress.filter((step) => step.phase === 'verify')).toHaveLength(body.length);
    expect(progress.filter((step) => step.phase === 'write').map((step) => step.events)).toEqual(
      Array.from({ length: Math.ceil(body.length / 10) }, (_, index) => Math.min((index + 1) * 10, body.length)),
    );

    const again = join(directory, 'again.ndjson');
    await exportEventLogToFile(target, again, { now: FIXED_TIME });
    expect(readFileSync(again, 'utf8')).toBe(exported);
  });

  it('exports and imports an empty log', async () => {
    const file = join(directory, 'empty.ndjson');
    await exportEventLogToFile(new MemoryEventStore(), file, { now: FIXED_TIME });
    expect(parseHeaderLine(readFileSync(file, 'utf8').trimEnd())).toMatchObject({ eventCount: 0, lastPosition: 0 });
    const target = new MemoryEventStore();
    expect(await importEventLogFile(target, file)).toMatchObject({ eventCount: 0, eventsWritten: 0 });
    expect(await target.headPosition()).toBe(0);
  });

  it('leaves events appended during the export out, and the header counts what follows it', async () => {
    const store = new MemoryEventStore();
    await seedRealisticLog(store, { proposals: 1, updatesPerProposal: 3 });
    const head = await store.headPosition();
    const readAll = store.readAll.bind(store);
    // An append lands between the head read and the first page.
    jest.spyOn(store, 'readAll').mockImplementationOnce(async (options) => {
      await store.append('late', [{ id: 'late-1', type: 'Noted', data: {}, metadata: { userId: 'u' } }]);
      return readAll(options);
    });
    const file = join(directory, 'cut.ndjson');
    const exportedHeader = await exportEventLogToFile(store, file, { now: FIXED_TIME });
    expect(exportedHeader.lastPosition).toBe(head);
    expect(readFileSync(file, 'utf8')).not.toContain('late-1');
    await expect(verifyEventLog(linesOf(readFileSync(file, 'utf8')))).resolves.toMatchObject({ lastPosition: head });
  });

  describe('refuses a file that does not verify, naming the line, stream and revision, and writes nothing', () => {
    const lineOf = (index: number) => JSON.parse(body[index]);
    const withBody = (lines: string[], newHeader = header) => [newHeader, ...lines].join('\n') + '\n';
    const indexOf = (type: string, from = 0) => body.findIndex((line, index) => index >= from && line.includes(`"type":"${type}"`));
    const edit = (index: number, change: (line: Record<string, unknown>) => void) =>
      body.map((line, at) => {
        if (at !== index) return line;
        const value = JSON.parse(line);
        change(value);
        return JSON.stringify(value);
      });

    const cases: Array<[string, () => string, RegExp]> = [
      [
        'a changed byte in a binary payload',
        () => {
          const index = indexOf('ContentUpdated', 20);
          return withBody(
            edit(index, (line) => {
              const bytes = Buffer.from(line['dataBase64'] as string, 'base64');
              bytes[bytes.length >> 1] ^= 1;
              line['dataBase64'] = bytes.toString('base64');
            }),
          );
        },
        /^line (\d+) \(stream proposal-p\d-content revision \d+\): the recorded hash does not match/,
      ],
      [
        'a changed user',
        () => withBody(edit(indexOf('MemberAdded'), (line) => ((line['metadata'] as Record<string, unknown>)['userId'] = 'intruder'))),
        /^line \d+ \(stream iscm-add revision \d\): the recorded hash does not match/,
      ],
      [
        'a removed line',
        () => withBody(body.filter((_, index) => index !== indexOf('MemberAdded'))),
        /^line \d+ \(stream iscm-add revision 2\): expected revision 1 of the stream, found 2/,
      ],
      [
        'two lines of one stream swapped',
        () => {
          const first = indexOf('MemberAdded');
          const lines = [...body];
          [lines[first], lines[first + 1]] = [lines[first + 1], lines[first]];
          return withBody(lines);
        },
        /^line \d+ \(stream iscm-add revision 2\): expected revision 1 of the stream, found 2/,
      ],
      [
        'a tail cut at a line boundary',
        () => withBody(body.slice(0, -3)),
        /^line 1: the header says \d+ events but the file holds \d+/,
      ],
      [
        'a line cut in the middle',
        () => withBody([...body.slice(0, 5), body[5].slice(0, 40)]),
        /^line 7: not valid JSON/,
      ],
      [
        'a repeated event id',
        () => withBody(edit(indexOf('UserRegistered', 1), (line) => (line['id'] = lineOf(0)['id']))),
        /^line 3 \(stream user-drafter-2 revision 0\): event id [0-9a-f-]+ appears twice/,
      ],
      [
        'both data and dataBase64',
        () => withBody(edit(indexOf('ContentUpdated'), (line) => (line['data'] = {}))),
        /exactly one of data and dataBase64 is required/,
      ],
      ['another format', () => withBody(body, '{"format":"something-else","version":1}'), /^line 1: not a Concord event log/],
      ['a newer version', () => withBody(body, header.replace('"version":1', '"version":2')), /^line 1: format version 2 is not supported/],
      ['an empty file', () => '', /the file is empty/],
    ];

    it.each(cases)('%s', async (_what, makeFile, message) => {
      const target = new MemoryEventStore();
      const importEvents = jest.spyOn(target, 'importEvents');
      const error = await importEventLog(target, () => linesOf(makeFile())).then(
        () => null,
        (rejected: unknown) => rejected,
      );
      expect(error).toBeInstanceOf(EventLogFormatError);
      expect((error as Error).message).toMatch(message);
      expect(importEvents).not.toHaveBeenCalled();
      expect(await target.headPosition()).toBe(0);
    });

    it('names the line of a changed payload exactly', async () => {
      const index = indexOf('ProposalCreated');
      const file = withBody(edit(index, (line) => ((line['data'] as Record<string, unknown>)['title'] = 'Forged')));
      await expect(verifyEventLog(linesOf(file))).rejects.toMatchObject({
        line: index + 2,
        stream: 'proposal-p0',
        revision: 0,
      });
    });
  });

  it('refuses a store that is not empty before reading the file', async () => {
    const target = new MemoryEventStore();
    await target.append('s', [{ id: 'x', type: 'Noted', data: {}, metadata: { userId: 'u' } }]);
    const openLines = jest.fn(() => linesOf(exported));
    await expect(importEventLog(target, openLines)).rejects.toBeInstanceOf(ImportTargetNotEmptyError);
    await expect(importEventLog(target, openLines)).rejects.toThrow(/not empty \(head position 1, 1 streams\)/);
    expect(openLines).not.toHaveBeenCalled();
  });

  it('verifies only, on a dry run, whatever the target holds', async () => {
    const target = new MemoryEventStore();
    await target.append('s', [{ id: 'x', type: 'Noted', data: {}, metadata: { userId: 'u' } }]);
    const report = await importEventLog(target, () => linesOf(exported), { dryRun: true });
    expect(report).toMatchObject({ eventCount: body.length, eventsWritten: 0 });
    expect(await target.headPosition()).toBe(1);
  });

  it('says the target is partial when writing fails after some batches', async () => {
    const target = new MemoryEventStore();
    const realImport = target.importEvents.bind(target);
    let calls = 0;
    jest.spyOn(target, 'importEvents').mockImplementation(async (events: readonly RecordedEvent[]): Promise<ImportEventsResult> => {
      calls += 1;
      if (calls === 3) throw new Error('connection reset');
      return realImport(events);
    });
    const error = await importEventLog(target, () => linesOf(exported), { batchSize: 5 }).catch((rejected: unknown) => rejected);
    expect(error).toBeInstanceOf(ImportIncompleteError);
    expect((error as Error).message).toMatch(/writing stopped after 10 events \(connection reset\).*partial/);
  });

  it('refuses an import whose store changed between the passes', async () => {
    const target: EventStore = new MemoryEventStore();
    let opened = 0;
    const error = await importEventLog(target, () => {
      opened += 1;
      // Something writes to the target while the file is being verified.
      if (opened === 1) void target.append('s', [{ id: 'x', type: 'Noted', data: {}, metadata: { userId: 'u' } }]);
      return linesOf(exported);
    }).catch((rejected: unknown) => rejected);
    expect(error).toBeInstanceOf(ImportTargetNotEmptyError);
  });

  it('still refuses a file changed between the passes, batch by batch', async () => {
    const target = new MemoryEventStore();
    let opened = 0;
    const tampered = [header, ...body.slice(0, 12), body[12].replace(/"userId":"[^"]+"/, '"userId":"intruder"'), ...body.slice(13)].join('\n');
    const error = await importEventLog(target, () => linesOf(++opened === 1 ? exported : tampered), { batchSize: 5 }).catch(
      (rejected: unknown) => rejected,
    );
    expect(error).toBeInstanceOf(ImportIncompleteError);
    expect((error as Error).message).toMatch(/after 10 events .*recorded hash does not match/);
  });

  it('writes the file atomically: a failed export leaves no file behind', async () => {
    const store = new MemoryEventStore();
    await seedRealisticLog(store, { proposals: 1, updatesPerProposal: 2 });
    jest.spyOn(store, 'readAll').mockRejectedValueOnce(new Error('store went away'));
    const file = join(directory, 'failed.ndjson');
    writeFileSync(file, 'previous export\n');
    await expect(exportEventLogToFile(store, file)).rejects.toThrow('store went away');
    expect(readFileSync(file, 'utf8')).toBe('previous export\n');
  });
});
