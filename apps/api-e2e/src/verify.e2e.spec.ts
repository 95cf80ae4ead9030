/**
 * The verify tool (ARCHITECTURE §6: `npm run verify` re-checks every hash chain and exits non-zero
 * naming the first broken stream) on a DATA_DIR written by the real server: passes on the demo
 * store, fails naming the stream after one event's data or metadata is edited in the SQLite file,
 * and `GET /api/audit/verify` reports the same break.
 */
import Database from 'better-sqlite3';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { ApiProcess, gracefulStop, ok, runCommand, runNode, startApi, tempDir, WORKSPACE_ROOT } from './support/api-process';

/**
 * The verify tool as the repo runs it without a build: the `tools-verify:verify` target's command
 * (TS_NODE_PROJECT=tools/verify/tsconfig.app.json ts-node --transpile-only -r tsconfig-paths/register
 * tools/verify/src/main.ts), in a child process with DATA_DIR set.
 */
function runVerifyTool(dataDir: string) {
  const env: NodeJS.ProcessEnv = { ...process.env, TS_NODE_PROJECT: 'tools/verify/tsconfig.app.json', EVENT_STORE: 'sqlite', DATA_DIR: dataDir };
  delete env['DATABASE_URL'];
  return runNode(
    [require.resolve('ts-node/dist/bin.js', { paths: [WORKSPACE_ROOT] }), '--transpile-only', '-r', 'tsconfig-paths/register', 'tools/verify/src/main.ts'],
    env,
    60_000,
  );
}

function copyDataDir(from: string): string {
  const to = tempDir('concord-e2e-tampered-');
  cpSync(from, to, { recursive: true });
  return to;
}

function storeCounts(dataDir: string): { streams: number; events: number } {
  const db = new Database(join(dataDir, 'concord.sqlite'), { readonly: true });
  try {
    const streams = (db.prepare('SELECT count(*) AS n FROM streams').get() as { n: number }).n;
    const events = (db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
    return { streams, events };
  } finally {
    db.close();
  }
}

function tamper(dataDir: string, sql: string, ...params: unknown[]): number {
  const db = new Database(join(dataDir, 'concord.sqlite'));
  try {
    return db.prepare(sql).run(...params).changes;
  } finally {
    db.close();
  }
}

describe('verify tool on a DATA_DIR written by the server', () => {
  let server: ApiProcess;
  let demoDir: string;
  let proposalId: string;

  beforeAll(async () => {
    server = await startApi({ name: 'verify' });
    const drafter = server.api(await server.login('drafter1'));
    proposalId = ok(await drafter.get('/api/proposals'))[0].id;
    // A few more events after ProposalCreated, so the tampered event is inside the chain.
    for (const label of ['one', 'two', 'three']) ok(await drafter.post(`/api/proposals/${proposalId}/versions`, { revision: 1, label }));
    expect(gracefulStop(await server.stop())).toBe(true);
    demoDir = server.dataDir;
  });

  it('passes on the intact store (exit 0) and says how many streams and events it checked', () => {
    const { streams, events } = storeCounts(demoDir);
    const result = runVerifyTool(demoDir);
    expect({ exitCode: result.exitCode, output: result.output }).toEqual({ exitCode: 0, output: expect.stringContaining('OK') });
    expect(result.output).toContain(`checked ${streams} streams, ${events} events: OK`);
    expect(result.output).toContain(join(demoDir, 'concord.sqlite'));
  });

  it('`npm run verify` works as package.json defines it', () => {
    // scripts.verify = "nx build tools-verify … && node dist/tools/verify/main.js"
    const env: NodeJS.ProcessEnv = { ...process.env, NX_DAEMON: 'false', EVENT_STORE: 'sqlite', DATA_DIR: demoDir };
    delete env['DATABASE_URL'];
    const result = runCommand('npm', ['run', '--silent', 'verify'], env, 180_000);
    expect({ exitCode: result.exitCode, output: result.output.slice(-1500) }).toEqual({ exitCode: 0, output: expect.stringContaining(': OK') });
  });

  it("fails (exit 1) naming the stream after one event's data is edited in the file", () => {
    const dir = copyDataDir(demoDir);
    const changed = tamper(
      dir,
      `UPDATE events SET data = CAST(replace(CAST(data AS TEXT), '"title":"', '"title":"Forged ') AS BLOB)
       WHERE stream = ? AND revision = 0`,
      `proposal-${proposalId}`,
    );
    expect(changed).toBe(1);
    const result = runVerifyTool(dir);
    expect(result.exitCode).toBe(1);
    expect(result.output).toContain(`BROKEN: stream proposal-${proposalId} at revision 0`);
  });

  it("fails (exit 1) naming the stream after one event's metadata is edited in the file", () => {
    const dir = copyDataDir(demoDir);
    const stream = `proposal-${proposalId}`;
    const changed = tamper(dir, `UPDATE events SET metadata = json_set(metadata, '$.userId', 'intruder') WHERE stream = ? AND revision = 2`, stream);
    expect(changed).toBe(1);
    const result = runVerifyTool(dir);
    expect(result.exitCode).toBe(1);
    expect(result.output).toContain(`BROKEN: stream ${stream} at revision 2`);
  });

  it('reports the same break through GET /api/audit/verify (admin and auditor)', async () => {
    const dir = copyDataDir(demoDir);
    const stream = `proposal-${proposalId}-content`;
    expect(tamper(dir, `UPDATE events SET metadata = json_set(metadata, '$.at', '2001-01-01T00:00:00.000Z') WHERE stream = ? AND revision = 0`, stream)).toBe(1);
    const onTampered = await startApi({ name: 'verify-tampered', dataDir: dir, env: { DEMO: '0' } });
    for (const who of ['admin', 'auditor']) {
      const report = ok(await onTampered.api(await onTampered.login(who)).get('/api/audit/verify'));
      expect(report).toMatchObject({ ok: false, firstBreak: { stream, revision: 0 } });
    }
    const drafterAsks = await onTampered.api(await onTampered.login('drafter1')).get('/api/audit/verify');
    expect(drafterAsks.status).toBe(403);
    await onTampered.stop();
  });
});
