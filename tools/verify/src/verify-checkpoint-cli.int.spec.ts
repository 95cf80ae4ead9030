import { spawnSync } from 'node:child_process';
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { computeEventHash, GENESIS_HASH, streamHeadsMerkleRoot } from '@concord/integrity';
import { SqliteEventStore } from '@concord/event-store';
import {
  CHECKPOINT_EVENT_TYPE,
  CHECKPOINT_STREAM,
  checkpointEventData,
  scanStreamHeadsAt,
  signCheckpoint,
} from '@concord/event-log-tools';

const workspaceRoot = resolve(__dirname, '../../..');

/** Runs the CLI exactly as `npm run verify -- <args>` does, in a child process. */
function runVerify(dataDir: string, args: string[]) {
  const result = spawnSync(
    process.execPath,
    [require.resolve('ts-node/dist/bin.js'), '--transpile-only', '-r', 'tsconfig-paths/register', 'tools/verify/src/main.ts', ...args],
    {
      cwd: workspaceRoot,
      encoding: 'utf8',
      env: { ...process.env, TS_NODE_PROJECT: 'tools/verify/tsconfig.app.json', EVENT_STORE: 'sqlite', DATA_DIR: dataDir },
      timeout: 30_000,
    },
  );
  return { exitCode: result.status, output: `${result.stdout}${result.stderr}` };
}

/**
 * What an attacker with the SQLite file does: rewrites the payload of one event and recomputes
 * every later hash of the stream and its head record, so that the chain check still passes.
 */
function rewriteStreamConsistently(file: string, stream: string, fromRevision: number): void {
  const db = new Database(file);
  const rows = db.prepare('SELECT position, revision, type, is_binary, data, metadata FROM events WHERE stream = ? ORDER BY revision').all(stream) as Array<{
    position: number;
    revision: number;
    type: string;
    is_binary: number;
    data: Buffer;
    metadata: string;
  }>;
  let prevHash = GENESIS_HASH;
  for (const row of rows) {
    const metadata = JSON.parse(row.metadata) as Record<string, unknown>;
    if (row.revision < fromRevision) {
      prevHash = metadata['hash'] as string;
      continue;
    }
    const data = row.revision === fromRevision ? Buffer.from(row.data).reverse() : row.data;
    const rewritten = { ...metadata, prevHash };
    const hash = computeEventHash({ prevHash, stream, revision: row.revision, type: row.type, data: new Uint8Array(data), metadata: rewritten });
    db.prepare('UPDATE events SET data = ?, metadata = ? WHERE position = ?').run(data, JSON.stringify({ ...rewritten, hash }), row.position);
    prevHash = hash;
  }
  db.prepare('UPDATE streams SET last_hash = ? WHERE stream = ?').run(prevHash, stream);
  db.close();
}

describe('verify CLI with a held checkpoint (SQLite)', () => {
  let root: string;
  let original: string;
  let checkpointFile: string;
  let publicKeyFile: string;
  let copies = 0;

  /** A fresh DATA_DIR holding a copy of the stored log. */
  const copyOfLog = () => {
    const dataDir = join(root, `copy-${(copies += 1)}`);
    mkdirSync(dataDir);
    copyFileSync(original, join(dataDir, 'concord.sqlite'));
    return dataDir;
  };

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'concord-verify-checkpoint-'));
    original = join(root, 'original.sqlite');
    const store = new SqliteEventStore(original);
    const event = (type: string, data: Uint8Array | { [key: string]: string }) => ({ id: randomUUID(), type, data, metadata: { userId: 'drafter-1' } });
    await store.append('proposal-1', [event('ProposalCreated', { title: 'Skills passport' })]);
    await store.append('proposal-1-content', Array.from({ length: 6 }, () => event('ContentUpdated', new Uint8Array(randomBytes(40)))));
    await store.append('user-1', [event('UserRegistered', { email: 'a@example.org' })]);

    const { privateKey } = generateKeyPairSync('ed25519');
    const position = await store.headPosition();
    const heads = await scanStreamHeadsAt(store, position, { exclude: [CHECKPOINT_STREAM] });
    const signed = signCheckpoint(
      { globalPosition: position, merkleRoot: streamHeadsMerkleRoot(heads), streamCount: heads.length, at: new Date().toISOString() },
      privateKey,
    );
    await store.append(CHECKPOINT_STREAM, [{ id: randomUUID(), type: CHECKPOINT_EVENT_TYPE, data: checkpointEventData(signed), metadata: { userId: 'system' } }]);
    // The log goes on after the checkpoint.
    await store.append('proposal-1-content', [event('ContentUpdated', new Uint8Array(randomBytes(40)))]);
    await store.close();

    checkpointFile = join(root, 'checkpoint.json');
    writeFileSync(checkpointFile, JSON.stringify({ ...signed, heads }, null, 2));
    publicKeyFile = join(root, 'concord-checkpoint-public.pem');
    writeFileSync(publicKeyFile, signed.publicKey);
  });

  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it('proves that the log extends the checkpoint, with the signer key pinned', () => {
    const { exitCode, output } = runVerify(copyOfLog(), ['--checkpoint', checkpointFile, '--public-key', publicKeyFile]);
    expect(output).toContain('checked 4 streams, 10 events: OK');
    expect(output).toMatch(/checkpoint signature: OK \(Ed25519, key sha256 [0-9a-f]{64}\)/);
    expect(output).toMatch(/checkpoint: OK — the heads of 3 streams as of position 8 reproduce its Merkle root; the log extends it to position 10/);
    expect(exitCode).toBe(0);
  });

  it('finds a stream rewritten with every hash recomputed, which the chain check passes, and names it', () => {
    const dataDir = copyOfLog();
    rewriteStreamConsistently(join(dataDir, 'concord.sqlite'), 'proposal-1-content', 2);

    const chainOnly = runVerify(dataDir, []);
    expect(chainOnly.output).toContain('checked 4 streams, 10 events: OK');
    expect(chainOnly.exitCode).toBe(0);

    const { exitCode, output } = runVerify(dataDir, ['--checkpoint', checkpointFile]);
    expect(output).toContain('checked 4 streams, 10 events: OK');
    expect(output).toMatch(/CHECKPOINT NOT PROVEN: stream proposal-1-content: head as of position 8 is revision 5 hash [0-9a-f]{64}, the checkpoint has revision 5 hash/);
    expect(exitCode).toBe(1);
  });

  it('refuses a checkpoint signed by another key than the one given', () => {
    const otherKey = join(root, 'other.pem');
    writeFileSync(otherKey, generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString());
    const { exitCode, output } = runVerify(copyOfLog(), ['--checkpoint', checkpointFile, '--public-key', otherKey]);
    expect(output).toMatch(/CHECKPOINT NOT PROVEN: checkpoint signature: the checkpoint was signed with key [0-9a-f]{64}, not with the given public key/);
    expect(exitCode).toBe(1);
  });

  it('cannot run (exit code 2) on a checkpoint file that is not one', () => {
    const broken = join(root, 'broken.json');
    writeFileSync(broken, '{"globalPosition": 3, "streamCount": 2}');
    const { exitCode, output } = runVerify(copyOfLog(), ['--checkpoint', broken]);
    expect(output).toContain('verify could not run');
    expect(output).toContain('broken.json: the checkpoint has no merkleRoot');
    expect(exitCode).toBe(2);
  });
});
