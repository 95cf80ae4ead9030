import { ConflictException, ForbiddenException, NotFoundException } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { computeEventHash, GENESIS_HASH } from '@concord/integrity';
import { EVENT_STORE, EventStore, MemoryEventStore, NewEvent, RecordedEvent } from '@concord/event-store';
import {
  CHECKPOINT_STREAM,
  SignedCheckpoint,
  verifyCheckpoint,
  verifyCheckpointSignature,
} from '@concord/event-log-tools';
import { CONCORD_CONFIG, Principal, rootLogger, SqliteReadModelDatabase } from '@concord/api/platform';
import { AuditService } from './audit.service';
import { CHECKPOINT_KEY_FILE, loadOrCreateCheckpointKey } from './checkpoint-key';
import { checkpointIntervalFromEnv, CheckpointSigner, DEFAULT_CHECKPOINT_INTERVAL_MS } from './checkpoint-signer';

// The signer logs every checkpoint; the assertions say what matters here.
rootLogger.level = 'silent';

const noted = (id: string): NewEvent => ({ id, type: 'Noted', data: { id }, metadata: { userId: 'u1' } });

async function waitFor(condition: () => Promise<boolean> | boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('checkpoint signing key', () => {
  let dataDir: string;
  beforeEach(() => (dataDir = mkdtempSync(join(tmpdir(), 'concord-key-'))));
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('is generated once in DATA_DIR with mode 0600, then reused; its public key derives from it', () => {
    const created = loadOrCreateCheckpointKey(dataDir);
    expect(created).toMatchObject({ created: true, tooOpen: false, file: join(dataDir, CHECKPOINT_KEY_FILE) });
    expect(statSync(created.file).mode & 0o777).toBe(0o600);
    expect(readFileSync(created.file, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(created.privateKey.asymmetricKeyType).toBe('ed25519');
    expect(created.publicKey).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    expect(created.fingerprint).toMatch(/^[0-9a-f]{64}$/);

    const reused = loadOrCreateCheckpointKey(dataDir);
    expect(reused).toMatchObject({ created: false, fingerprint: created.fingerprint, publicKey: created.publicKey });
  });
});

describe('CHECKPOINT_INTERVAL_MS', () => {
  it.each([
    [undefined, DEFAULT_CHECKPOINT_INTERVAL_MS],
    ['', DEFAULT_CHECKPOINT_INTERVAL_MS],
    ['250', 250],
    ['0', 0],
  ])('%p gives %p', (value, expected) => {
    expect(checkpointIntervalFromEnv({ CHECKPOINT_INTERVAL_MS: value })).toBe(expected);
  });
  it.each(['-1', 'soon', '1.5'])('refuses %p', (value) => {
    expect(() => checkpointIntervalFromEnv({ CHECKPOINT_INTERVAL_MS: value })).toThrow(/CHECKPOINT_INTERVAL_MS/);
  });
});

describe('CheckpointSigner', () => {
  let dataDir: string;
  let store: MemoryEventStore;
  let signer: CheckpointSigner;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'concord-signer-'));
    store = new MemoryEventStore();
    signer = new CheckpointSigner(store, { dataDir });
  });

  afterEach(async () => {
    await signer.stop();
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const checkpointEvents = async () => (await store.streamRevision(CHECKPOINT_STREAM)) + 1;

  it('signs nothing for an empty log', async () => {
    expect(await signer.signNow()).toBeNull();
    expect(await store.headPosition()).toBe(0);
  });

  it('appends a CheckpointSigned event whose signature and Merkle root verify against the log', async () => {
    await store.append('proposal-1', [noted('a'), noted('b')]);
    await store.append('user-1', [noted('c')]);
    const signed = (await signer.signNow()) as SignedCheckpoint;
    expect(signed).toMatchObject({ globalPosition: 3, streamCount: 2, algorithm: 'Ed25519' });

    const [event] = await store.readStream(CHECKPOINT_STREAM);
    expect(event).toMatchObject({ type: 'CheckpointSigned', position: 4, metadata: { userId: 'system', at: signed.at } });
    expect(event.data).toEqual({ ...signed });
    expect(event.data).toMatchObject({ signature: expect.any(String), publicKeyFingerprint: signer.publicKey?.fingerprint });
    expect(verifyCheckpointSignature(signed, signer.publicKey?.pem)).toMatchObject({ ok: true });
    expect(await verifyCheckpoint(store, signed, { trustedPublicKey: signer.publicKey?.pem })).toMatchObject({ ok: true, problems: [] });
  });

  it('signs again only when events other than checkpoints were appended', async () => {
    await store.append('proposal-1', [noted('a')]);
    expect(await signer.signNow()).not.toBeNull();
    expect(await signer.signNow()).toBeNull();
    await store.append('proposal-1', [noted('b')]);
    expect(await signer.signNow()).toMatchObject({ globalPosition: 3, streamCount: 1 });
    expect(await checkpointEvents()).toBe(2);
  });

  it('records one checkpoint when two signers (two API nodes) sign at once', async () => {
    const otherNode = new CheckpointSigner(store, { dataDir });
    await store.append('proposal-1', [noted('a')]);
    const results = await Promise.all([signer.signNow(), otherNode.signNow()]);
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await checkpointEvents()).toBe(1);
  });

  it('signs on its unref\'d timer while events arrive, and stops when told', async () => {
    signer.start(20);
    expect(signer.running).toBe(true);
    expect((signer as unknown as { timer: NodeJS.Timeout }).timer.hasRef()).toBe(false);
    await store.append('proposal-1', [noted('a')]);
    await waitFor(async () => (await checkpointEvents()) === 1);
    await store.append('proposal-1', [noted('b')]);
    await waitFor(async () => (await checkpointEvents()) === 2);

    await signer.stop();
    expect(signer.running).toBe(false);
    await store.append('proposal-1', [noted('c')]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await checkpointEvents()).toBe(2);
  });

  it('with interval 0 signs nothing and creates no key', () => {
    signer.start(0);
    expect(signer.running).toBe(false);
    expect(signer.publicKey).toBeNull();
  });
});

describe('CheckpointSigner in a Nest application', () => {
  const previous = process.env['CHECKPOINT_INTERVAL_MS'];
  afterEach(() => {
    if (previous === undefined) delete process.env['CHECKPOINT_INTERVAL_MS'];
    else process.env['CHECKPOINT_INTERVAL_MS'] = previous;
  });

  it('starts on bootstrap from CHECKPOINT_INTERVAL_MS and clears its timer on shutdown', async () => {
    process.env['CHECKPOINT_INTERVAL_MS'] = '25';
    const dataDir = mkdtempSync(join(tmpdir(), 'concord-signer-nest-'));
    const store = new MemoryEventStore();
    const moduleRef = await Test.createTestingModule({
      providers: [
        CheckpointSigner,
        { provide: EVENT_STORE, useValue: store },
        { provide: CONCORD_CONFIG, useValue: { dataDir } },
      ],
    }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    const signer = app.get(CheckpointSigner);
    expect(signer.running).toBe(true);
    await store.append('proposal-1', [noted('a')]);
    await waitFor(async () => (await store.streamRevision(CHECKPOINT_STREAM)) === 0);

    await app.close();
    expect(signer.running).toBe(false);
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
});

describe('AuditService checkpoints', () => {
  let dataDir: string;
  let store: MemoryEventStore;
  let db: SqliteReadModelDatabase;
  let signer: CheckpointSigner;
  const admin: Principal = { userId: 'admin', email: 'a@x', name: 'A', isAdmin: true, sessionId: 's' };
  const auditor: Principal = { userId: 'auditor', email: 'b@x', name: 'B', isAdmin: false, sessionId: 's' };
  const drafter: Principal = { userId: 'drafter', email: 'c@x', name: 'C', isAdmin: false, sessionId: 's' };

  const serviceOn = (eventStore: EventStore) => new AuditService(eventStore, db, signer);

  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'concord-audit-'));
    store = new MemoryEventStore();
    db = new SqliteReadModelDatabase(':memory:');
    await db.execute([
      { sql: 'CREATE TABLE rm_members (iscm_id TEXT NOT NULL, user_id TEXT NOT NULL, role TEXT NOT NULL)' },
      { sql: "INSERT INTO rm_members VALUES ('add', 'auditor', 'auditor'), ('add', 'drafter', 'drafter')" },
      // The audit index: proposal-1 is of the auditor's workspace, proposal-1-content (here) of another.
      { sql: 'CREATE TABLE rm_event_index (position BIGINT PRIMARY KEY, stream TEXT NOT NULL, revision INTEGER NOT NULL, type TEXT NOT NULL, user_id TEXT NOT NULL, at TEXT NOT NULL, iscm_id TEXT)' },
      { sql: "INSERT INTO rm_event_index VALUES (1, 'proposal-1', 0, 'Noted', 'drafter', 'x', 'add'), (2, 'proposal-1-content', 0, 'ContentUpdated', 'drafter', 'x', 'other')" },
    ]);
    signer = new CheckpointSigner(store, { dataDir });
    await store.append('proposal-1', [noted('a')]);
    await store.append('proposal-1-content', [
      { id: 'u1', type: 'ContentUpdated', data: new Uint8Array([1, 2, 3]), metadata: { userId: 'drafter' } },
      { id: 'u2', type: 'ContentUpdated', data: new Uint8Array([4, 5]), metadata: { userId: 'drafter' } },
    ]);
    await signer.signNow();
    await store.append('proposal-1', [noted('b')]);
    await signer.signNow();
  });

  afterEach(async () => {
    await db.close();
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('lists checkpoints newest first with the public key, to auditors and admins only', async () => {
    const list = await serviceOn(store).checkpoints(auditor);
    expect(list.publicKey).toBe(signer.publicKey?.pem);
    expect(list.publicKeyFingerprint).toBe(signer.publicKey?.fingerprint);
    expect(list.items.map((item) => [item.globalPosition, item.eventPosition])).toEqual([
      [5, 6],
      [3, 4],
    ]);
    expect((await serviceOn(store).checkpoints(admin, 1)).items).toHaveLength(1);
    await expect(serviceOn(store).checkpoints(drafter)).rejects.toBeInstanceOf(ForbiddenException);
  });

  it('serves one checkpoint with its stream heads to the platform admin: a file that verify proves', async () => {
    const file = await serviceOn(store).checkpoint(admin, 3);
    expect(file.heads?.map((head) => [head.stream, head.revision])).toEqual([
      ['proposal-1', 0],
      ['proposal-1-content', 1],
    ]);
    expect(file.proofs).toBeUndefined();
    const saved = JSON.parse(JSON.stringify(file)) as SignedCheckpoint;
    expect(await verifyCheckpoint(store, saved, { trustedPublicKey: signer.publicKey?.pem })).toMatchObject({ ok: true });
    await expect(serviceOn(store).checkpoint(admin, 4)).rejects.toBeInstanceOf(NotFoundException);
  });

  it("serves a workspace auditor the signed root with proofs for their workspace's streams only", async () => {
    const file = await serviceOn(store).checkpoint(auditor, 3);
    expect(file.heads).toBeUndefined();
    expect(file.proofs?.map((proof) => [proof.head.stream, proof.head.revision, proof.treeSize])).toEqual([['proposal-1', 0, 2]]);
    expect(JSON.stringify(file)).not.toContain('proposal-1-content');
    const saved = JSON.parse(JSON.stringify(file)) as SignedCheckpoint;
    expect(await verifyCheckpoint(store, saved, { trustedPublicKey: signer.publicKey?.pem })).toMatchObject({ ok: true, fileProofsConsistent: true });
    await expect(serviceOn(store).checkpoint(drafter, 3)).rejects.toBeInstanceOf(ForbiddenException);
  });

  it('refuses (409) to serve heads the log no longer reproduces', async () => {
    // A copy of the log in which proposal-1-content was rewritten with every hash recomputed.
    const events = await store.readAll();
    let prevHash = GENESIS_HASH;
    const rewritten = events.map((event): RecordedEvent => {
      if (event.stream !== 'proposal-1-content') return event;
      const data = event.revision === 0 ? new Uint8Array([9, 9, 9]) : event.data;
      const metadata = { ...event.metadata, prevHash };
      const hash = computeEventHash({ prevHash, stream: event.stream, revision: event.revision, type: event.type, data, metadata });
      prevHash = hash;
      return { ...event, data, metadata: { ...metadata, hash } };
    });
    const copy = new MemoryEventStore();
    await copy.importEvents(rewritten);
    await expect(serviceOn(copy).checkpoint(admin, 3)).rejects.toBeInstanceOf(ConflictException);
    await expect(serviceOn(copy).checkpoint(auditor, 3)).rejects.toBeInstanceOf(ConflictException);
    await copy.close();
  });
});
