import { spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SqliteEventStore } from '@concord/event-store';

const workspaceRoot = resolve(__dirname, '../../..');

/** Runs the CLI exactly as `npm run export -- <args>` does, in a child process. */
function runExport(dataDir: string, args: string[]) {
  const result = spawnSync(
    process.execPath,
    [require.resolve('ts-node/dist/bin.js'), '--transpile-only', '-r', 'tsconfig-paths/register', 'tools/export/src/main.ts', ...args],
    {
      cwd: workspaceRoot,
      encoding: 'utf8',
      env: { ...process.env, TS_NODE_PROJECT: 'tools/export/tsconfig.app.json', EVENT_STORE: 'sqlite', DATA_DIR: dataDir },
      timeout: 30_000,
    },
  );
  return { exitCode: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('export CLI on a SQLite store', () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'concord-export-'));
    const store = new SqliteEventStore(join(dataDir, 'concord.sqlite'));
    await store.append('proposal-1', [
      { id: randomUUID(), type: 'ProposalCreated', data: { title: 'Skills passport', kind: 'policy' }, metadata: { userId: 'drafter-1' } },
    ]);
    await store.append(
      'proposal-1-content',
      Array.from({ length: 3 }, () => ({ id: randomUUID(), type: 'ContentUpdated', data: new Uint8Array(randomBytes(40)), metadata: { userId: 'drafter-1' } })),
    );
    await store.close();
  });

  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('writes the header and one line per event, and says so', () => {
    const file = join(dataDir, 'log.ndjson');
    const { exitCode, stdout, stderr } = runExport(dataDir, [file]);
    expect(stderr).toContain(`Exporting the sqlite (${join(dataDir, 'concord.sqlite')}) event store to ${file}`);
    expect(stdout).toContain(`exported 4 events of 2 streams (last position 4) to ${file}`);
    expect(exitCode).toBe(0);

    const [header, ...events] = readFileSync(file, 'utf8').trimEnd().split('\n');
    expect(JSON.parse(header)).toMatchObject({ format: 'concord-event-log', version: 1, source: 'sqlite', eventCount: 4, streamCount: 2, lastPosition: 4 });
    expect(events.map((line) => JSON.parse(line).position)).toEqual([1, 2, 3, 4]);
    expect(JSON.parse(events[1])).toMatchObject({ stream: 'proposal-1-content', revision: 0, type: 'ContentUpdated', dataBase64: expect.any(String) });
  });

  it('refuses a DATA_DIR without a store (exit code 2) and a missing file argument', () => {
    const missing = runExport(join(dataDir, 'missing'), [join(dataDir, 'x.ndjson')]);
    expect(missing.stderr).toContain('export could not run: no SQLite event store');
    expect(missing.exitCode).toBe(2);
    const usage = runExport(dataDir, []);
    expect(usage.stderr).toContain('usage: npm run export -- <file>');
    expect(usage.exitCode).toBe(2);
  });
});
