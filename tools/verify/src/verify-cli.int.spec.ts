import { spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteEventStore } from '@concord/event-store';

const workspaceRoot = resolve(__dirname, '../../..');

/** Runs the CLI exactly as `npm run verify` does, in a child process. */
function runVerify(dataDir: string) {
  const result = spawnSync(
    process.execPath,
    [
      require.resolve('ts-node/dist/bin.js'),
      '--transpile-only',
      '-r',
      'tsconfig-paths/register',
      'tools/verify/src/main.ts',
    ],
    {
      cwd: workspaceRoot,
      encoding: 'utf8',
      env: { ...process.env, TS_NODE_PROJECT: 'tools/verify/tsconfig.app.json', EVENT_STORE: 'sqlite', DATA_DIR: dataDir },
      timeout: 30_000,
    },
  );
  return { exitCode: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('verify CLI on a SQLite store', () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'concord-verify-'));
    const store = new SqliteEventStore(join(dataDir, 'concord.sqlite'));
    const userId = 'drafter-1';
    await store.append('proposal-1', [
      { id: randomUUID(), type: 'ProposalCreated', data: { title: 'Skills passport' }, metadata: { userId } },
    ]);
    await store.append(
      'proposal-1-content',
      Array.from({ length: 5 }, () => ({
        id: randomUUID(),
        type: 'ContentUpdated',
        data: new Uint8Array(randomBytes(40)),
        metadata: { userId },
      })),
    );
    await store.close();
  });

  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('passes on an intact store', () => {
    const { exitCode, output } = runVerify(dataDir);
    expect(output).toContain('checked 2 streams, 6 events: OK');
    expect(exitCode).toBe(0);
  });

  it('fails with exit code 1 naming the stream and revision after the file is tampered with', () => {
    const db = new Database(join(dataDir, 'concord.sqlite'));
    db.prepare(
      `UPDATE events SET metadata = json_set(metadata, '$.userId', 'intruder')
       WHERE stream = 'proposal-1-content' AND revision = 3`,
    ).run();
    db.close();

    const { exitCode, output } = runVerify(dataDir);
    expect(output).toContain('BROKEN: stream proposal-1-content at revision 3');
    expect(exitCode).toBe(1);
  });

  it('refuses a DATA_DIR without a store (exit code 2) rather than verifying an empty one', () => {
    const { exitCode, output } = runVerify(join(dataDir, 'missing'));
    expect(output).toContain('no SQLite event store');
    expect(exitCode).toBe(2);
  });
});
