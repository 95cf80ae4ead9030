import { randomBytes } from 'node:crypto';
import { GENESIS_HASH } from '@concord/integrity';
import { IdempotencyConflictError, WrongExpectedRevisionError } from '../../lib/errors';
import type { EventStore, NewEvent } from '../../lib/event-store.port';
import { chainReport } from '../chain-report';
import { appendNumbered, ContractContext, expectStrictlyIncreasingPositions, newEvent } from './contract-support';

/** Appends: metadata completed, payloads kept byte for byte, expected revision, idempotency by event id. */
export function describeAppendContract(context: ContractContext): void {
  let store: EventStore;

  beforeEach(() => {
    store = context.store;
  });

  describe('append', () => {
    it('round-trips JSON payloads and completes the metadata', async () => {
      const data = {
        title: 'Skills passport — ✓ 技能',
        kind: 'policy',
        gcmObjectives: [2, 18],
        budget: { amount: 1234.5, currency: null },
        flags: [true, false],
      };
      const event = newEvent('ProposalCreated', data, { userId: 'drafter-1', correlationId: 'c-1' });
      const result = await store.append('proposal-1', [event], { expectedRevision: 'no_stream' });

      const [read] = await store.readStream('proposal-1');
      expect(result).toEqual({ nextExpectedRevision: 0, position: read.position });
      expect(read).toMatchObject({ id: event.id, stream: 'proposal-1', revision: 0, type: 'ProposalCreated', data });
      expect(read.metadata).toMatchObject({
        userId: 'drafter-1',
        correlationId: 'c-1',
        eventId: event.id,
        prevHash: GENESIS_HASH,
      });
      expect(Date.parse(read.metadata.at)).not.toBeNaN();
      expect(read.metadata.hash).toMatch(/^[0-9a-f]{64}$/);
    });

    it("keeps the caller's time", async () => {
      const at = '2026-03-01T09:30:00.000Z';
      await store.append('proposal-1', [newEvent('ProposalCreated', {}, { userId: 'u1', at })]);
      const [read] = await store.readStream('proposal-1');
      expect(read.metadata.at).toBe(at);
    });

    it('round-trips binary payloads byte for byte (64 KiB of random bytes with zeros, and empty)', async () => {
      const large = randomBytes(64 * 1024);
      large.fill(0, 100, 200);
      large[0] = 0;
      large[large.length - 1] = 0;
      const payloads = [new Uint8Array(large), new Uint8Array([0, 0, 0]), new Uint8Array(0)];
      await store.append(
        'proposal-1-content',
        payloads.map((payload) => newEvent('ContentUpdated', payload)),
      );

      const read = await store.readStream('proposal-1-content');
      expect(read).toHaveLength(3);
      read.forEach((event, index) => {
        expect(event.data).toBeInstanceOf(Uint8Array);
        expect(Buffer.from(event.data as Uint8Array).equals(Buffer.from(payloads[index]))).toBe(true);
      });
    });

    it('round-trips awkward text and bytes exactly, in concurrent appends of random shape (seeded)', async () => {
      // Quotes, backslashes, placeholders, comments, statement ends, casts, escapes and non-BMP text:
      // whatever a driver or a hand-written literal could get wrong.
      const pieces = ["'", "''", '\\', '\\x41', '"', '$1', '?', ';', '--', '/*', '*/', '::text', 'E\'x\'', '\n', '\t', 'é', '中', '😀', 'ARRAY[', ']', 'COMMIT', ' ', 'a', 'Z'];
      // A 32-bit LCG kept exact with Math.imul, read from its high bits (its low bits are periodic).
      // Inline: the event store has no business depending on @concord/content's test helpers.
      let state = 20261207;
      const random = (n: number) => {
        state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
        return Math.floor((state / 2 ** 32) * n);
      };
      const text = () => Array.from({ length: random(12) }, () => pieces[random(pieces.length)]).join('');
      const streams = ['awkward-a', 'awkward-b', 'awkward-c'];
      const expected = new Map<string, NewEvent[]>(streams.map((stream) => [stream, []]));
      for (let round = 0; round < 12; round++) {
        const appends = streams.map((stream) => {
          const events = Array.from({ length: 1 + random(4) }, (): NewEvent => {
            const binary = random(2) === 0;
            const bytes = new Uint8Array(Array.from({ length: random(40) }, () => random(256)));
            return {
              id: `${text()}-${round}-${random(1e9)}`,
              type: `T${text()}`,
              data: binary ? bytes : { [text() || 'k']: text(), list: [text(), random(1000), null, random(2) === 0] },
              metadata: { userId: `u${text()}`, note: text() },
            };
          });
          expected.get(stream)!.push(...events);
          return store.append(stream, events);
        });
        await Promise.all(appends);
      }
      // The shapes did vary: binary and JSON events, batches of one and of several.
      const sentEvents = [...expected.values()].flat();
      expect(new Set(sentEvents.map((event) => event.data instanceof Uint8Array))).toEqual(new Set([true, false]));
      expect(sentEvents.length).toBeGreaterThan(streams.length * 12 * 1.5);
      for (const stream of streams) {
        const read = await store.readStream(stream);
        const sent = expected.get(stream)!;
        expect(read.map((event) => [event.id, event.type, event.metadata['userId'], event.metadata['note']])).toEqual(
          sent.map((event) => [event.id, event.type, event.metadata['userId'], event.metadata['note']]),
        );
        read.forEach((event, index) => {
          const data = sent[index].data;
          if (data instanceof Uint8Array) expect(Buffer.from(event.data as Uint8Array).equals(Buffer.from(data))).toBe(true);
          else expect(event.data).toEqual(data);
        });
      }
      expect(await chainReport(store)).toEqual({ streams: 3, events: [...expected.values()].flat().length, breaks: [] });
    });

  });

  describe('expected revision', () => {
    it("accepts 'no_stream' only for a new stream", async () => {
      await store.append('s', [newEvent()], { expectedRevision: 'no_stream' });
      await expect(store.append('s', [newEvent()], { expectedRevision: 'no_stream' })).rejects.toMatchObject({
        name: 'WrongExpectedRevisionError',
        stream: 's',
        expected: 'no_stream',
        actual: 0,
      });
    });

    it("accepts 'stream_exists' only for an existing stream", async () => {
      await expect(store.append('s', [newEvent()], { expectedRevision: 'stream_exists' })).rejects.toBeInstanceOf(
        WrongExpectedRevisionError,
      );
      await store.append('s', [newEvent()]);
      await expect(store.append('s', [newEvent()], { expectedRevision: 'stream_exists' })).resolves.toMatchObject({
        nextExpectedRevision: 1,
      });
    });

    it('accepts a number only when it is the last revision', async () => {
      const first = await store.append('s', [newEvent(), newEvent()]);
      expect(first.nextExpectedRevision).toBe(1);
      await expect(store.append('s', [newEvent()], { expectedRevision: 0 })).rejects.toMatchObject({
        expected: 0,
        actual: 1,
      });
      await expect(store.append('s', [newEvent()], { expectedRevision: 1 })).resolves.toMatchObject({
        nextExpectedRevision: 2,
      });
      expect(await store.streamRevision('s')).toBe(2);
    });

    it('lets exactly one of 50 concurrent appends with the same expected revision win', async () => {
      await appendNumbered(store, 's', 1);
      const outcomes = await Promise.allSettled(
        Array.from({ length: 50 }, () => store.append('s', [newEvent()], { expectedRevision: 0 })),
      );
      const succeeded = outcomes.filter((outcome) => outcome.status === 'fulfilled');
      const failed = outcomes.filter((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
      expect(succeeded).toHaveLength(1);
      expect(failed).toHaveLength(49);
      failed.forEach((outcome) => expect(outcome.reason).toBeInstanceOf(WrongExpectedRevisionError));
      expect(await store.streamRevision('s')).toBe(1);
    });

    // Issued together, these land in one group commit on the adapters that batch (SQLite, PostgreSQL).
    const itInIssueOrder = context.capabilities.appendsInIssueOrder === false ? it.skip : it;
    itInIssueOrder('checks concurrent appends in issue order: of two appends per expected revision, the first wins', async () => {
      const appends = Array.from({ length: 40 }, (_, index) => {
        const expectedRevision = Math.floor(index / 2) - 1;
        return store.append('s', [newEvent('Noted', { index })], {
          expectedRevision: expectedRevision === -1 ? 'no_stream' : expectedRevision,
        });
      });
      const outcomes = await Promise.allSettled(appends);
      outcomes.forEach((outcome, index) => {
        if (index % 2 === 0) expect(outcome).toMatchObject({ status: 'fulfilled', value: { nextExpectedRevision: index / 2 } });
        else expect(outcome).toMatchObject({ status: 'rejected', reason: expect.any(WrongExpectedRevisionError) });
      });
      const events = await store.readStream('s');
      expect(events.map((event) => event.revision)).toEqual(Array.from({ length: 20 }, (_, index) => index));
      expect(events.map((event) => event.data)).toEqual(Array.from({ length: 20 }, (_, index) => ({ index: index * 2 })));
      expectStrictlyIncreasingPositions(events);
      expect(await chainReport(store)).toEqual({ streams: 1, events: 20, breaks: [] });
    });

    it('fails a conflicting append alone among concurrent appends to many streams', async () => {
      await appendNumbered(store, 'stream-3', 2);
      const appends = Array.from({ length: 10 }, (_, index) =>
        store.append(`stream-${index}`, [newEvent(), newEvent()], { expectedRevision: index === 3 ? 0 : 'any' }),
      );
      const outcomes = await Promise.allSettled(appends);
      outcomes.forEach((outcome, index) => {
        if (index === 3) expect(outcome).toMatchObject({ status: 'rejected', reason: expect.any(WrongExpectedRevisionError) });
        else expect(outcome).toMatchObject({ status: 'fulfilled', value: { nextExpectedRevision: 1 } });
      });
      expect(await store.streamRevision('stream-3')).toBe(1);
      const all = await store.readAll();
      expect(all).toHaveLength(2 + 9 * 2);
      expectStrictlyIncreasingPositions(all);
      expect(await chainReport(store)).toEqual({ streams: 10, events: 20, breaks: [] });
    });
  });

  describe('idempotency', () => {
    it('stores nothing new when the same event ids are appended again', async () => {
      const batch = [newEvent(), newEvent(), newEvent()];
      const first = await store.append('s', batch, { expectedRevision: 'no_stream' });
      const head = await store.headPosition();

      // A retry after a lost acknowledgement carries the original (now stale) expected revision.
      await expect(store.append('s', batch, { expectedRevision: 'no_stream' })).resolves.toEqual(first);
      await expect(store.append('s', batch)).resolves.toEqual(first);
      expect(await store.headPosition()).toBe(head);
      expect(await store.readStream('s')).toHaveLength(3);
    });

    it('treats a consecutive run of the batch as already written', async () => {
      const batch = [newEvent(), newEvent(), newEvent()];
      await store.append('s', batch);
      const tail = await store.append('s', batch.slice(1));
      expect(tail.nextExpectedRevision).toBe(2);
      expect(await store.readStream('s')).toHaveLength(3);
    });

    it('refuses a partial overlap, another order or a repeated id', async () => {
      const [a, b, c] = [newEvent(), newEvent(), newEvent()];
      await store.append('s', [a, b]);
      await expect(store.append('s', [b, c])).rejects.toBeInstanceOf(IdempotencyConflictError);
      await expect(store.append('s', [b, a])).rejects.toBeInstanceOf(IdempotencyConflictError);
      await expect(store.append('s', [c, c])).rejects.toBeInstanceOf(IdempotencyConflictError);
      expect(await store.readStream('s')).toHaveLength(2);
    });

    const itInIssueOrder = context.capabilities.appendsInIssueOrder === false ? it.skip : it;
    itInIssueOrder('replays an append issued together with the same append, and refuses an overlap among them', async () => {
      const [a, b, c] = [newEvent(), newEvent(), newEvent()];
      const [first, replay, overlap, next] = await Promise.allSettled([
        store.append('s', [a, b], { expectedRevision: 'no_stream' }),
        store.append('s', [a, b], { expectedRevision: 'no_stream' }),
        store.append('s', [b, c]),
        store.append('s', [c], { expectedRevision: 1 }),
      ]);
      expect(first).toMatchObject({ status: 'fulfilled', value: { nextExpectedRevision: 1 } });
      expect(replay).toEqual(first);
      expect(overlap).toMatchObject({ status: 'rejected', reason: expect.any(IdempotencyConflictError) });
      expect(next).toMatchObject({ status: 'fulfilled', value: { nextExpectedRevision: 2 } });
      const events = await store.readStream('s');
      expect(events.map((event) => event.id)).toEqual([a.id, b.id, c.id]);
      expect((first as PromiseFulfilledResult<{ position: number }>).value.position).toBe(events[1].position);
    });

    const itAcrossStreams = context.capabilities.idempotencyAcrossStreams === false ? it.skip : it;
    itAcrossStreams('refuses an id already stored in another stream', async () => {
      const a = newEvent();
      await store.append('s', [a]);
      await expect(store.append('other', [a])).rejects.toBeInstanceOf(IdempotencyConflictError);
      expect(await store.streamRevision('other')).toBe(-1);
    });
  });
}
