import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { emailReservationStream, legacyEmailReservationStream, userStream } from '@concord/domain';
import { RecordedEvent, SqliteEventStore } from '@concord/event-store';
import { exportEventLogToFile, verifyEventStore } from '@concord/event-log-tools';
import { sha256Hex } from '@concord/integrity';

const workspaceRoot = resolve(__dirname, '../../..');
const STREAM_KEY = 'test-stream-key-0123456789abcdefghijklmnop';

function runImport(dataDir: string, args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(
    process.execPath,
    [require.resolve('ts-node/dist/bin.js'), '--transpile-only', '-r', 'tsconfig-paths/register', 'tools/import/src/main.ts', ...args],
    {
      cwd: workspaceRoot,
      encoding: 'utf8',
      env: { ...process.env, TS_NODE_PROJECT: 'tools/import/tsconfig.app.json', EVENT_STORE: 'sqlite', DATA_DIR: dataDir, ...env },
      timeout: 60_000,
    },
  );
  return { exitCode: result.status, stdout: result.stdout, stderr: result.stderr };
}

async function readStore(dataDir: string): Promise<{ events: RecordedEvent[]; ok: boolean }> {
  const store = new SqliteEventStore(join(dataDir, 'concord.sqlite'));
  try {
    return { events: await store.readAll(), ok: (await verifyEventStore(store)).ok };
  } finally {
    await store.close();
  }
}

/**
 * A log as the code before issue 9 wrote it: email reservations under the unsalted sha256 of the
 * address (the `legacy` naming), exported, then imported by `npm run import` with a stream key.
 */
describe('import migrates legacy email reservation stream names', () => {
  let root: string;
  let legacyExport: string;
  const emails = ['Amina.Rahman@add.example', 'chair@add.example'];

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'concord-migrate-'));
    const source = new SqliteEventStore(join(root, 'legacy.sqlite'));
    for (const [index, email] of emails.entries()) {
      const userId = `user-${index}`;
      const at = `2026-01-0${index + 1}T10:00:00.000Z`;
      await source.append(legacyEmailReservationStream(email), [
        { id: randomUUID(), type: 'EmailReserved', data: { email: email.toLowerCase(), userId }, metadata: { userId: 'system', at } },
      ]);
      await source.append(userStream(userId), [
        { id: randomUUID(), type: 'UserRegistered', data: { userId, email: email.toLowerCase(), name: `User ${index}` }, metadata: { userId: 'system', at } },
      ]);
    }
    // A reservation stream with two events (a retried registration): the whole chain is rewritten.
    await source.append(legacyEmailReservationStream(emails[0]), [
      { id: randomUUID(), type: 'EmailReserved', data: { email: emails[0].toLowerCase(), userId: 'user-0' }, metadata: { userId: 'system' } },
    ]);
    legacyExport = join(root, 'legacy.ndjson');
    await exportEventLogToFile(source, legacyExport);
    await source.close();
  });

  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('renames each to its HMAC name, re-chains it, keeps everything else, and says so', async () => {
    const dataDir = join(root, 'migrated');
    const { exitCode, stdout, stderr } = runImport(dataDir, [legacyExport], { STREAM_KEY });
    expect({ exitCode, stderr: exitCode === 0 ? '' : stderr }).toEqual({ exitCode: 0, stderr: '' });
    expect(stdout).toContain('migrated 2 email reservation streams from the unsalted sha256 name to the HMAC name');

    const legacy = readFileSync(legacyExport, 'utf8').trimEnd().split('\n').slice(1).map((line) => JSON.parse(line));
    const { events, ok } = await readStore(dataDir);
    expect(ok).toBe(true);
    expect(events).toHaveLength(legacy.length);
    const names = new Set(events.map((event) => event.stream));
    for (const email of emails) {
      expect(names.has(emailReservationStream(email, STREAM_KEY))).toBe(true);
      expect(names.has(legacyEmailReservationStream(email))).toBe(false);
      expect(stdout).toContain(`${legacyEmailReservationStream(email)} -> ${emailReservationStream(email, STREAM_KEY)}`);
    }
    // No stream name holds the plain hash of an address any more.
    for (const email of emails) expect([...names].some((name) => name.includes(sha256Hex(email.toLowerCase())))).toBe(false);

    for (const event of events) {
      const before = legacy.find((line) => line.id === event.id);
      expect({ position: event.position, revision: event.revision, type: event.type, data: event.data, userId: event.metadata.userId }).toEqual({
        position: before.position,
        revision: before.revision,
        type: before.type,
        data: before.data,
        userId: before.metadata.userId,
      });
      if (event.stream.startsWith('user-email-')) expect(event.metadata.hash).not.toBe(before.metadata.hash);
      else expect(event.metadata).toEqual(before.metadata);
    }
  });

  it('leaves an already migrated log alone (export → import again renames nothing)', async () => {
    const migratedExport = join(root, 'migrated.ndjson');
    const store = new SqliteEventStore(join(root, 'migrated', 'concord.sqlite'));
    await exportEventLogToFile(store, migratedExport);
    await store.close();
    const { exitCode, stdout } = runImport(join(root, 'again'), [migratedExport], { STREAM_KEY });
    expect(exitCode).toBe(0);
    expect(stdout).not.toContain('migrated');
    expect((await readStore(join(root, 'again'))).events.map((event) => event.metadata.hash)).toEqual(
      (await readStore(join(root, 'migrated'))).events.map((event) => event.metadata.hash),
    );
  });

  it('uses the key in DATA_DIR/stream-key when STREAM_KEY is not set, creating it once', async () => {
    const dataDir = join(root, 'generated-key');
    const { exitCode } = runImport(dataDir, [legacyExport], { STREAM_KEY: '' });
    expect(exitCode).toBe(0);
    expect(existsSync(join(dataDir, 'stream-key'))).toBe(true);
    const key = readFileSync(join(dataDir, 'stream-key'), 'utf8').trim();
    expect(key.length).toBeGreaterThanOrEqual(32);
    const names = new Set((await readStore(dataDir)).events.map((event) => event.stream));
    expect(names.has(emailReservationStream(emails[1], key))).toBe(true);
  });
});
