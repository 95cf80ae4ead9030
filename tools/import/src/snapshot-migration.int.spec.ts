import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createCollabServer, snapshotStreamOf } from '@concord/collab';
import { buildDocument, CONTENT_FIELD } from '@concord/content';
import { CONTENT_ACCESS_CHANGED, CONTENT_SNAPSHOT, CONTENT_UPDATED, parseStream, proposalContentStream, proposalStream } from '@concord/domain';
import { RecordedEvent, SqliteEventStore } from '@concord/event-store';
import { importEventLogFile, verifyEventStore } from '@concord/event-log-tools';

const workspaceRoot = resolve(__dirname, '../../..');
const FIXTURE = join(__dirname, 'fixtures', 'content-checkpoints-in-content-stream.ndjson');
const STREAM_KEY = 'test-stream-key-0123456789abcdefghijklmnop';

function runImport(dataDir: string, file: string) {
  const result = spawnSync(
    process.execPath,
    [require.resolve('ts-node/dist/bin.js'), '--transpile-only', '-r', 'tsconfig-paths/register', 'tools/import/src/main.ts', file],
    {
      cwd: workspaceRoot,
      encoding: 'utf8',
      env: { ...process.env, TS_NODE_PROJECT: 'tools/import/tsconfig.app.json', EVENT_STORE: 'sqlite', DATA_DIR: dataDir, STREAM_KEY },
      timeout: 60_000,
    },
  );
  return { exitCode: result.status, stdout: result.stdout, stderr: result.stderr };
}

const legacy: Array<RecordedEvent & { dataBase64?: string }> = readFileSync(FIXTURE, 'utf8')
  .trimEnd()
  .split('\n')
  .slice(1)
  .map((line) => JSON.parse(line));
const ofStream = <T extends { stream: string; revision: number }>(events: T[], stream: string) =>
  events.filter((event) => event.stream === stream).sort((a, b) => a.revision - b.revision);
const textOf = (doc: ReturnType<typeof buildDocument>) => doc.getXmlFragment(CONTENT_FIELD).toJSON();

/**
 * The fixture is an export written by main before issue 10 (see fixtures/README.md): snapshots
 * (`ContentCheckpointed`) inside the content streams, between updates and write fence markers.
 */
describe('import moves content snapshots of the old layout into snapshot streams', () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'concord-snapshots-'));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('the fixture holds snapshots inside content streams (what this migration is for)', () => {
    expect(legacy.filter((event) => event.type === CONTENT_SNAPSHOT && parseStream(event.stream)?.kind === 'proposal-content')).toHaveLength(4);
    expect(legacy.filter((event) => event.type === CONTENT_ACCESS_CHANGED)).toHaveLength(3);
  });

  it('moves them, re-chains, keeps every update, marker and revision number, and says so', async () => {
    const dataDir = join(root, 'migrated');
    const { exitCode, stdout, stderr } = runImport(dataDir, FIXTURE);
    expect({ exitCode, stderr: exitCode === 0 ? '' : stderr }).toEqual({ exitCode: 0, stderr: '' });
    expect(stdout).toContain('migrated 4 content snapshots from the content streams to their own snapshot streams');
    expect(stdout).toContain(snapshotStreamOf('p1'));

    const store = new SqliteEventStore(join(dataDir, 'concord.sqlite'));
    try {
      expect((await verifyEventStore(store)).ok).toBe(true);
      const events = await store.readAll();
      expect(events).toHaveLength(legacy.length);
      for (const proposalId of ['p1', 'p2']) {
        const content = ofStream(events, proposalContentStream(proposalId));
        const before = ofStream(legacy, proposalContentStream(proposalId)).filter((event) => event.type !== CONTENT_SNAPSHOT);
        // The same updates and markers, in the same order, numbered 0..n-1 with no gap.
        expect(content.map((event) => [event.id, event.type, event.metadata['revision'] ?? null])).toEqual(
          before.map((event) => [event.id, event.type, event.metadata['revision'] ?? null]),
        );
        expect(content.map((event) => event.revision)).toEqual(content.map((_, index) => index));
        const updates = content.filter((event) => event.type === CONTENT_UPDATED);
        const snapshots = ofStream(events, snapshotStreamOf(proposalId));
        expect(snapshots.map((event) => event.id)).toEqual(
          ofStream(legacy, proposalContentStream(proposalId)).filter((event) => event.type === CONTENT_SNAPSHOT).map((event) => event.id),
        );
        for (const snapshot of snapshots) {
          const revision = snapshot.metadata['revision'] as number;
          const update = content[snapshot.metadata['contentStreamRevision'] as number];
          expect([update.type, update.metadata['revision']]).toEqual([CONTENT_UPDATED, revision]);
          const replayed = buildDocument({ updates: updates.slice(0, revision).map((event) => event.data as Uint8Array) });
          expect(textOf(buildDocument({ snapshot: snapshot.data as Uint8Array, updates: [] }))).toEqual(textOf(replayed));
        }
      }
      // The fence in a moved snapshot is the one at its update: p1's snapshot of revision 9 comes
      // after the closure for user-c (after update 8); those of 3 and 6 have none (fence-1 was
      // closed and reopened between updates 5 and 6).
      const p1 = ofStream(events, snapshotStreamOf('p1'));
      expect(p1.map((event) => [event.metadata['revision'], event.metadata['fence'] ?? null])).toEqual([
        [3, null],
        [6, null],
        [9, JSON.stringify([{ fenceId: 'fence-2', userId: 'user-c', reason: 'Your role was removed.' }])],
      ]);
      // Streams without snapshots are untouched, hashes included.
      for (const stream of [proposalStream('p1'), proposalStream('p2')]) {
        expect(ofStream(events, stream).map((event) => event.metadata.hash)).toEqual(ofStream(legacy, stream).map((event) => event.metadata.hash));
      }
    } finally {
      await store.close();
    }

    // The product reads the migrated log: every revision, the timeline, the fence.
    const reopened = new SqliteEventStore(join(dataDir, 'concord.sqlite'));
    const warnings: string[] = [];
    const collab = createCollabServer({
      store: reopened,
      authenticate: async () => null,
      authorize: async () => 'forbidden',
      logger: { info: () => undefined, warn: (_fields, message) => warnings.push(message ?? ''), error: () => undefined },
    });
    try {
      await collab.ready;
      const updates = ofStream(legacy, proposalContentStream('p1')).filter((event) => event.type === CONTENT_UPDATED);
      expect(await collab.content.currentRevision('p1')).toBe(11);
      for (let revision = 0; revision <= 11; revision++) {
        const doc = await collab.content.documentAt('p1', revision);
        const expected = buildDocument({ updates: updates.slice(0, revision).map((event) => new Uint8Array(Buffer.from(event.dataBase64 as string, 'base64'))) });
        expect(textOf(doc)).toEqual(textOf(expected));
      }
      expect((await collab.content.timeline('p1', { after: 7, limit: 2 })).items.map((item) => item.revision)).toEqual([8, 9]);
      expect(warnings.filter((message) => message.includes('old layout'))).toEqual([]);
    } finally {
      await collab.close();
      await reopened.close();
    }
  });

  it('a server on a store still in the old layout reads it correctly and warns how to migrate', async () => {
    const file = join(root, 'old-layout.sqlite');
    const store = new SqliteEventStore(file);
    await importEventLogFile(store, FIXTURE);
    const warnings: Array<{ message: string; proposalId: unknown }> = [];
    const collab = createCollabServer({
      store,
      authenticate: async () => null,
      authorize: async () => 'forbidden',
      logger: { info: () => undefined, warn: (fields, message) => warnings.push({ message: message ?? '', proposalId: fields['proposalId'] }), error: () => undefined },
      checkpointEvery: 3,
    });
    try {
      await collab.ready;
      const updates = ofStream(legacy, proposalContentStream('p2')).filter((event) => event.type === CONTENT_UPDATED);
      const expected = buildDocument({ updates: updates.map((event) => new Uint8Array(Buffer.from(event.dataBase64 as string, 'base64'))) });
      expect(await collab.content.currentRevision('p2')).toBe(5);
      expect(textOf(await collab.content.documentAt('p2', 5))).toEqual(textOf(expected));
      expect(warnings).toContainEqual({
        proposalId: 'p2',
        message: 'content snapshots in the old layout (inside the content stream) ignored: migrate with npm run export + npm run import',
      });
    } finally {
      await collab.close();
      await store.close();
    }
  });
});
