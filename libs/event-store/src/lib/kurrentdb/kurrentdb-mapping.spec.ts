import {
  AccessDeniedError,
  DeadlineExceededError,
  NotLeaderError,
  START,
  StreamDeletedError,
  StreamNotFoundError,
  UnavailableError,
  WrongExpectedVersionError,
} from '@kurrent/kurrentdb-client';
import type { RecordedEvent as KurrentRecordedEvent } from '@kurrent/kurrentdb-client';
import { EventStoreUnavailableError, WrongExpectedRevisionError } from '../errors';
import { sealEvents, EMPTY_STREAM_HEAD } from '../append/seal-events';
import {
  assertValidNamespace,
  buildAllFilter,
  fromKurrentRecord,
  isKurrentDbUnavailable,
  isKurrentStreamNotFound,
  isVisibleStream,
  mapKurrentDbError,
  NON_SYSTEM_STREAM_REGEX,
  toAppendStreamState,
  toGlobalPosition,
  toKurrentEventData,
  toKurrentEventId,
  toReadPosition,
} from './kurrentdb-mapping';

describe('KurrentDB mapping', () => {
  describe('global positions', () => {
    it('uses the $all commit position as the global position', () => {
      expect(toGlobalPosition({ commit: 1_234_567n, prepare: 1_234_567n })).toBe(1_234_567);
    });

    it('is exact up to 2^53 - 1 and refuses what a number cannot hold', () => {
      const max = BigInt(Number.MAX_SAFE_INTEGER);
      expect(toGlobalPosition({ commit: max, prepare: max })).toBe(Number.MAX_SAFE_INTEGER);
      expect(() => toGlobalPosition({ commit: max + 1n, prepare: max + 1n })).toThrow(RangeError);
    });

    it('refuses an event without a position (servers before 22.6)', () => {
      expect(() => toGlobalPosition(undefined)).toThrow(/without its \$all position/);
    });

    it('starts reading from the start for 0, else at the position handed out (callers drop it: exclusive)', () => {
      expect(toReadPosition(0)).toBe(START);
      expect(toReadPosition(4_096)).toEqual({ commit: 4_096n, prepare: 4_096n });
      expect(() => toReadPosition(-1)).toThrow(RangeError);
      expect(() => toReadPosition(1.5)).toThrow(RangeError);
    });
  });

  describe('the server-side $all filter', () => {
    it('excludes system streams with a stream-name regex when no prefix narrows the read', () => {
      expect(buildAllFilter('')).toMatchObject({ filterOn: 'streamName', regex: NON_SYSTEM_STREAM_REGEX });
      expect(buildAllFilter('', [])).toMatchObject({ regex: NON_SYSTEM_STREAM_REGEX });
      // An empty prefix matches every stream, system ones included: the regex again.
      expect(buildAllFilter('', ['proposal-', ''])).toMatchObject({ regex: NON_SYSTEM_STREAM_REGEX });
    });

    it('the regex keeps our streams and drops every $ stream (checked with JavaScript regexes, same syntax)', () => {
      const regex = new RegExp(NON_SYSTEM_STREAM_REGEX);
      for (const stream of ['proposal-1', 'proposal-1-content', 'user-x', 'a$b']) expect(regex.test(stream)).toBe(true);
      for (const stream of ['$stats-127.0.0.1:2113', '$$proposal-1', '$epoch-information', '$ce-proposal']) {
        expect(regex.test(stream)).toBe(false);
      }
    });

    it('filters by stream-name prefixes, inside the namespace', () => {
      expect(buildAllFilter('', ['proposal-', 'user-'])).toMatchObject({ filterOn: 'streamName', prefixes: ['proposal-', 'user-'] });
      expect(buildAllFilter('t1/', ['proposal-', 'proposal-'])).toMatchObject({ prefixes: ['t1/proposal-'] });
      expect(buildAllFilter('t1/')).toMatchObject({ prefixes: ['t1/'] });
      expect(buildAllFilter('t1/', [])).toMatchObject({ prefixes: ['t1/'] });
    });

    it('applies the same rule on the client', () => {
      expect(isVisibleStream('proposal-1', '')).toBe(true);
      expect(isVisibleStream('$stats-node', '')).toBe(false);
      expect(isVisibleStream('$$proposal-1', '')).toBe(false);
      expect(isVisibleStream('t1/proposal-1', 't1/', ['proposal-'])).toBe(true);
      expect(isVisibleStream('t1/user-1', 't1/', ['proposal-'])).toBe(false);
      expect(isVisibleStream('t2/proposal-1', 't1/')).toBe(false);
    });

    it('refuses a namespace that would make our streams system streams', () => {
      expect(() => assertValidNamespace('$test')).toThrow(/cannot start with "\$"/);
      expect(() => assertValidNamespace('test-1/')).not.toThrow();
    });
  });

  describe('appends', () => {
    it('appends at exactly the head it read', () => {
      expect(toAppendStreamState(-1)).toBe('no_stream');
      expect(toAppendStreamState(0)).toBe(0n);
      expect(toAppendStreamState(41)).toBe(41n);
    });

    it('keeps UUID event ids and maps any other id to a stable version-8 UUID', () => {
      expect(toKurrentEventId('3F2504E0-4F89-41D3-9A0C-0305E82C3301')).toBe('3f2504e0-4f89-41d3-9a0c-0305e82c3301');
      const derived = toKurrentEventId('seed-user-1');
      expect(derived).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(toKurrentEventId('seed-user-1')).toBe(derived);
      expect(toKurrentEventId('seed-user-2')).not.toBe(derived);
    });

    it('writes bytes as application/octet-stream and JSON as application/json, metadata as JSON', () => {
      const [binary, json, jsonNull] = sealEvents(
        'proposal-1-content',
        EMPTY_STREAM_HEAD,
        [
          { id: 'e-1', type: 'ContentUpdated', data: new Uint8Array([0, 1, 2, 0]), metadata: { userId: 'u1', clientId: 7 } },
          { id: '3f2504e0-4f89-41d3-9a0c-0305e82c3301', type: 'Noted', data: { a: [1, null] }, metadata: { userId: 'u1' } },
          { id: 'e-3', type: 'Noted', data: null, metadata: { userId: 'u1' } },
        ],
        () => '2026-01-01T00:00:00.000Z',
      );
      const binaryData = toKurrentEventData(binary);
      expect(binaryData).toMatchObject({ contentType: 'application/octet-stream', type: 'ContentUpdated', id: toKurrentEventId('e-1') });
      expect([...(binaryData.data as Uint8Array)]).toEqual([0, 1, 2, 0]);
      expect(binaryData.metadata).toEqual(binary.metadata);

      const jsonData = toKurrentEventData(json);
      expect(jsonData).toMatchObject({ contentType: 'application/json', id: '3f2504e0-4f89-41d3-9a0c-0305e82c3301', data: { a: [1, null] } });
      expect(jsonData.metadata).toEqual(json.metadata);
      expect(toKurrentEventData(jsonNull)).toMatchObject({ contentType: 'application/json', data: null });
    });
  });

  describe('reads', () => {
    const record = (overrides: Partial<KurrentRecordedEvent> & { data: unknown; isJson: boolean }): KurrentRecordedEvent =>
      ({
        streamId: 't1/proposal-1',
        id: toKurrentEventId('e-1'),
        revision: 3n,
        type: 'Noted',
        created: new Date(),
        metadata: { eventId: 'e-1', userId: 'u1', at: '2026-01-01T00:00:00.000Z', prevHash: 'p', hash: 'h' },
        position: { commit: 9_000n, prepare: 9_000n },
        ...overrides,
      }) as KurrentRecordedEvent;

    it('returns bytes as a plain Uint8Array copy, never the driver buffer', () => {
      const pool = Buffer.from([9, 9, 1, 2, 3, 9]);
      const view = pool.subarray(2, 5);
      const event = fromKurrentRecord(record({ data: view, isJson: false }), 't1/');
      expect(event.data).toBeInstanceOf(Uint8Array);
      expect(Buffer.isBuffer(event.data)).toBe(false);
      expect([...(event.data as Uint8Array)]).toEqual([1, 2, 3]);
      pool[2] = 0;
      expect((event.data as Uint8Array)[0]).toBe(1);
    });

    it('maps stream, revision, position and the port id', () => {
      const event = fromKurrentRecord(record({ data: { x: 1 }, isJson: true }), 't1/');
      expect(event).toMatchObject({ id: 'e-1', stream: 'proposal-1', revision: 3, position: 9_000, type: 'Noted', data: { x: 1 } });
    });

    it('keeps KurrentDB id when metadata.eventId does not correspond to it (verify reports the mismatch)', () => {
      const tampered = record({ data: {}, isJson: true, metadata: { eventId: 'e-2', userId: 'u1' } });
      expect(fromKurrentRecord(tampered, 't1/').id).toBe(toKurrentEventId('e-1'));
    });

    it('refuses metadata that is not a JSON object (verify reports the event as unreadable)', () => {
      expect(() => fromKurrentRecord(record({ data: {}, isJson: true, metadata: new Uint8Array([1, 2]) }), 't1/')).toThrow(
        /no JSON metadata/,
      );
    });
  });

  describe('errors', () => {
    it("turns the client's WrongExpectedVersionError into WrongExpectedRevisionError", () => {
      const raced = new WrongExpectedVersionError(undefined, { streamName: 't1/s', expected: 4n, current: 6n });
      const mapped = mapKurrentDbError(raced, { whileDoing: 'appending to s', stream: 's', expected: 4 });
      expect(mapped).toBeInstanceOf(WrongExpectedRevisionError);
      expect(mapped).toMatchObject({ stream: 's', expected: 4, actual: 6 });

      const noStream = new WrongExpectedVersionError(undefined, { streamName: 's', expected: 'stream_exists', current: 'no_stream' });
      expect(mapKurrentDbError(noStream, { whileDoing: 'appending' })).toMatchObject({
        stream: 's',
        expected: 'stream_exists',
        actual: -1,
      });
    });

    it('also recognises a wrong expected version reported as gRPC status metadata', () => {
      // Shaped like @grpc/grpc-js's ServiceError: a numeric code and trailers with the details.
      const trailers = { 'exception': 'wrong-expected-version', 'stream-name': 's', 'expected-version': '1', 'actual-version': '2' };
      const metadata = { getMap: () => trailers };
      const status = Object.assign(new Error('9 FAILED_PRECONDITION: Wrong expected version'), { code: 9, details: '', metadata });
      expect(mapKurrentDbError(status, { whileDoing: 'appending', stream: 's', expected: 1 })).toMatchObject({
        name: 'WrongExpectedRevisionError',
        actual: 2,
      });
    });

    it.each([
      ['UnavailableError', new UnavailableError(undefined, 'no node')],
      ['DeadlineExceededError', new DeadlineExceededError(undefined, 'deadline')],
      [
        'NotLeaderError',
        new NotLeaderError(
          Object.assign(new Error('not leader'), {
            code: 5,
            details: '',
            metadata: { getMap: () => ({ 'leader-endpoint-host': 'kurrentdb-2', 'leader-endpoint-port': '2113' }) },
          }) as unknown as ConstructorParameters<typeof NotLeaderError>[0],
        ),
      ],
      ['a raw gRPC UNAVAILABLE status', Object.assign(new Error('14 UNAVAILABLE: No connection established'), { code: 14 })],
      ['a raw gRPC DEADLINE_EXCEEDED status', Object.assign(new Error('4 DEADLINE_EXCEEDED: Deadline exceeded'), { code: 4 })],
      ['a failed discovery', new Error('Failed to discover after 10 attempts.')],
    ])('turns %s into EventStoreUnavailableError (503 with Retry-After)', (_what, error) => {
      expect(isKurrentDbUnavailable(error)).toBe(true);
      const mapped = mapKurrentDbError(error, { whileDoing: 'reading all events' });
      expect(mapped).toBeInstanceOf(EventStoreUnavailableError);
      expect((mapped as EventStoreUnavailableError).message).toMatch(/^KurrentDB is unavailable while reading all events: /);
      expect((mapped as EventStoreUnavailableError).cause).toBe(error);
    });

    it('lets other errors through unchanged', () => {
      const denied = new AccessDeniedError(undefined, 'denied');
      expect(isKurrentDbUnavailable(denied)).toBe(false);
      expect(mapKurrentDbError(denied, { whileDoing: 'x' })).toBe(denied);
      const bug = new TypeError('bug');
      expect(mapKurrentDbError(bug, { whileDoing: 'x' })).toBe(bug);
      const ours = new WrongExpectedRevisionError('s', 0, 1);
      expect(mapKurrentDbError(ours, { whileDoing: 'x' })).toBe(ours);
    });

    it('recognises a missing (or deleted) stream', () => {
      expect(isKurrentStreamNotFound(new StreamNotFoundError(undefined, 's'))).toBe(true);
      expect(isKurrentStreamNotFound(StreamDeletedError.fromStreamName('s'))).toBe(true);
      expect(isKurrentStreamNotFound(new UnavailableError())).toBe(false);
    });
  });
});
