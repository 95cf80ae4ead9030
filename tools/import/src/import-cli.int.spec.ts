import { spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SqliteEventStore } from '@concord/event-store';
import { exportEventLogToFile, verifyEventStore } from '@concord/event-log-tools';

const workspaceRoot = resolve(__dirname, '../../..');

/** Runs the CLI exactly as `npm run import -- <args>` does, in a child process. */
function runImport(dataDir: string, args: string[]) {
  const result = spawnSync(
    process.execPath,
    [require.resolve('ts-node/dist/bin.js'), '--transpile-only', '-r', 'tsconfig-paths/register', 'tools/import/src/main.ts', ...args],
    {
      cwd: workspaceRoot,
      encoding: 'utf8',
      env: { ...process.env, TS_NODE_PROJECT: 'tools/import/tsconfig.app.json', EVENT_STORE: 'sqlite', DATA_DIR: dataDir },
      timeout: 30_000,
    },
  );
  return { exitCode: result.status, stdout: result.stdout, stderr: result.stderr };
}

async function eventsIn(dataDir: string) {
  const store = new SqliteEventStore(join(dataDir, 'concord.sqlite'));
  try {
    return { events: await store.readAll(), verification: await verifyEventStore(store) };
  } finally {
    await store.close();
  }
}

describe('import CLI into SQLite', () => {
  let root: string;
  let exportFile: string;
  let exportedLines: string[];

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'concord-import-'));
    const source = new SqliteEventStore(join(root, 'source.sqlite'));
    await source.append('proposal-1', [
      { id: randomUUID(), type: 'ProposalCreated', data: { title: 'Skills passport' }, metadata: { userId: 'drafter-1', at: '2026-01-05T10:00:00.000Z' } },
    ]);
    await source.append(
      'proposal-1-content',
      Array.from({ length: 4 }, (_, index) => ({
        id: randomUUID(),
        type: 'ContentUpdated',
        data: new Uint8Array(randomBytes(40)),
        metadata: { userId: index % 2 ? 'drafter-2' : 'drafter-1', revision: index + 1, clientId: 7 },
      })),
    );
    exportFile = join(root, 'log.ndjson');
    await exportEventLogToFile(source, exportFile);
    await source.close();
    exportedLines = readFileSync(exportFile, 'utf8').trimEnd().split('\n');
  });

  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it('loads an export into an empty store with every id, position and metadata kept, then refuses to load it again', async () => {
    const dataDir = join(root, 'target');
    const { exitCode, stdout, stderr } = runImport(dataDir, [exportFile]);
    expect(stderr).toContain(`Importing ${exportFile} into the sqlite (${join(dataDir, 'concord.sqlite')}) event store`);
    expect(stderr).toContain('verified 5/5 events');
    expect(stderr).toContain('written 5/5 events');
    expect(stdout).toContain('imported 5 events of 2 streams (last position 5)');
    expect(exitCode).toBe(0);

    const { events, verification } = await eventsIn(dataDir);
    expect(verification.ok).toBe(true);
    expect(events.map((event) => JSON.parse(exportedLines[event.position]))).toEqual(
      events.map((event) => ({ position: event.position, id: event.id, stream: event.stream, revision: event.revision, type: event.type, metadata: event.metadata, ...(event.data instanceof Uint8Array ? { dataBase64: Buffer.from(event.data).toString('base64') } : { data: event.data }) })),
    );

    const again = runImport(dataDir, [exportFile]);
    expect(again.stderr).toContain('import could not run: the target sqlite event store is not empty (head position 5, 2 streams)');
    expect(again.exitCode).toBe(2);
  });

  it('refuses a tampered file (exit code 1) naming line, stream and revision, and writes nothing', async () => {
    const tampered = join(root, 'tampered.ndjson');
    writeFileSync(tampered, [...exportedLines.slice(0, 4), exportedLines[4].replace('"userId":"drafter-', '"userId":"intruder-'), exportedLines[5]].join('\n') + '\n');
    expect(readFileSync(tampered, 'utf8')).toContain('intruder-');
    const dataDir = join(root, 'refused');
    const { exitCode, stderr } = runImport(dataDir, [tampered]);
    expect(stderr).toContain(`REFUSED: ${tampered} line 5 (stream proposal-1-content revision 2): the recorded hash does not match the recomputed hash`);
    expect(stderr).toContain('nothing was written');
    expect(exitCode).toBe(1);
    expect((await eventsIn(dataDir)).events).toEqual([]);
  });

  it('verifies without writing on --dry-run', async () => {
    const dataDir = join(root, 'dry');
    const { exitCode, stdout } = runImport(dataDir, ['--dry-run', exportFile]);
    expect(stdout).toContain('verified 5 events of 2 streams (last position 5): every hash and chain is intact; nothing was written');
    expect(exitCode).toBe(0);
    expect((await eventsIn(dataDir)).events).toEqual([]);
  });
});
