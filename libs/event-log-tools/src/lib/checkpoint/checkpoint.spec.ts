import { generateKeyPairSync } from 'node:crypto';
import { streamHeadInclusionProofs, streamHeadsMerkleRoot } from '@concord/integrity';
import { seedRealisticLog, rewriteStreamConsistently } from '@concord/event-store/testing';
import { type EventStore, MemoryEventStore } from '@concord/event-store';
import {
  CHECKPOINT_STREAM,
  parseSignedCheckpoint,
  publicKeyFingerprint,
  signCheckpoint,
  SignedCheckpoint,
  verifyCheckpoint,
  verifyCheckpointSignature,
} from './checkpoint';
import { scanStreamHeadsAt, tailStreamHeadsAt } from './stream-heads';

const { privateKey } = generateKeyPairSync('ed25519');
const other = generateKeyPairSync('ed25519');

async function checkpointOf(store: EventStore, position: number, withHeads = true): Promise<SignedCheckpoint> {
  const heads = await scanStreamHeadsAt(store, position, { exclude: [CHECKPOINT_STREAM] });
  const signed = signCheckpoint(
    { globalPosition: position, merkleRoot: streamHeadsMerkleRoot(heads), streamCount: heads.length, at: '2026-03-02T09:00:00.000Z' },
    privateKey,
  );
  return withHeads ? { ...signed, heads } : signed;
}

describe('stream heads as of a position', () => {
  it('are the same by full scan and by the head records plus the tail, at every position', async () => {
    const store = new MemoryEventStore();
    await seedRealisticLog(store, { proposals: 2, updatesPerProposal: 6, checkpointEvery: 4 });
    await store.append(CHECKPOINT_STREAM, [{ id: 'cp', type: 'CheckpointSigned', data: {}, metadata: { userId: 'system' } }]);
    const head = await store.headPosition();
    for (let position = 0; position <= head; position += 1) {
      const scanned = await scanStreamHeadsAt(store, position, { exclude: [CHECKPOINT_STREAM], pageSize: 4 });
      expect(await tailStreamHeadsAt(store, position, { exclude: [CHECKPOINT_STREAM], pageSize: 3 })).toEqual(scanned);
    }
    const all = await scanStreamHeadsAt(store, head, { exclude: [CHECKPOINT_STREAM] });
    expect(all.map((info) => info.stream)).not.toContain(CHECKPOINT_STREAM);
    expect(all).toEqual(
      (await store.listStreams())
        .filter((info) => info.stream !== CHECKPOINT_STREAM)
        .map((info) => ({ stream: info.stream, revision: info.lastRevision, hash: info.lastHash })),
    );
  });
});

describe('checkpoint signatures', () => {
  const statement = { globalPosition: 7, merkleRoot: 'a'.repeat(64), streamCount: 3, at: '2026-03-02T09:00:00.000Z' };

  it('verify with the key in the checkpoint and with the same key given', () => {
    const signed = signCheckpoint(statement, privateKey);
    expect(signed).toMatchObject({ ...statement, algorithm: 'Ed25519', publicKeyFingerprint: publicKeyFingerprint(privateKey) });
    expect(signed.publicKey).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    expect(verifyCheckpointSignature(signed)).toEqual({ ok: true, fingerprint: signed.publicKeyFingerprint, problems: [] });
    expect(verifyCheckpointSignature(signed, signed.publicKey).ok).toBe(true);
  });

  it.each([
    ['globalPosition', { globalPosition: 8 }],
    ['merkleRoot', { merkleRoot: 'b'.repeat(64) }],
    ['streamCount', { streamCount: 2 }],
    ['at', { at: '2026-03-02T09:00:00.001Z' }],
  ])('fail when the %s is changed', (_field, change) => {
    const check = verifyCheckpointSignature({ ...signCheckpoint(statement, privateKey), ...change });
    expect(check.ok).toBe(false);
    expect(check.problems).toEqual([expect.stringMatching(/signature is not valid/)]);
  });

  it('fail when signed by another key than the one given, even if the file carries the signer key', () => {
    const forged = signCheckpoint(statement, other.privateKey);
    const trusted = signCheckpoint(statement, privateKey).publicKey;
    expect(verifyCheckpointSignature(forged).ok).toBe(true);
    const check = verifyCheckpointSignature(forged, trusted);
    expect(check.problems).toEqual([expect.stringMatching(/signed with key [0-9a-f]{64}, not with the given public key/)]);
  });

  it('fail when the fingerprint does not belong to the key', () => {
    const signed = { ...signCheckpoint(statement, privateKey), publicKeyFingerprint: 'f'.repeat(64) };
    expect(verifyCheckpointSignature(signed).problems).toEqual([expect.stringMatching(/is not the fingerprint/)]);
  });

  it('are Ed25519 only', () => {
    const { privateKey: rsa } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    expect(() => signCheckpoint(statement, rsa)).toThrow(/Ed25519/);
  });

  it('read back from a saved file, and a list is refused with advice', () => {
    const signed = signCheckpoint(statement, privateKey);
    expect(parseSignedCheckpoint(JSON.stringify(signed, null, 2))).toEqual(signed);
    expect(() => parseSignedCheckpoint(JSON.stringify({ publicKey: 'x', items: [signed] }))).toThrow(/save one of its items/);
    expect(() => parseSignedCheckpoint(JSON.stringify({ ...signed, globalPosition: -1 }))).toThrow(/globalPosition/);
    expect(() => parseSignedCheckpoint('{')).toThrow(/not JSON/);
  });
});

describe('verifyCheckpoint', () => {
  let store: MemoryEventStore;
  let checkpoint: SignedCheckpoint;

  beforeEach(async () => {
    store = new MemoryEventStore();
    await seedRealisticLog(store, { proposals: 2, updatesPerProposal: 8, checkpointEvery: 4 });
    checkpoint = await checkpointOf(store, await store.headPosition());
    await store.append(CHECKPOINT_STREAM, [{ id: 'cp-1', type: 'CheckpointSigned', data: { merkleRoot: checkpoint.merkleRoot }, metadata: { userId: 'system' } }]);
    // The log goes on after the checkpoint: new events in old streams and a new stream.
    await store.append('proposal-p0', [{ id: 'after-1', type: 'VersionNamed', data: { label: 'later' }, metadata: { userId: 'u' } }]);
    await store.append('proposal-p9', [{ id: 'after-2', type: 'ProposalCreated', data: {}, metadata: { userId: 'u' } }]);
  });

  it('passes when the log extends the checkpoint', async () => {
    const result = await verifyCheckpoint(store, checkpoint, { trustedPublicKey: checkpoint.publicKey });
    expect(result).toMatchObject({ ok: true, problems: [], merkleRoot: checkpoint.merkleRoot, streamCount: checkpoint.streamCount });
  });

  /** The same log, except that one stream was rewritten consistently (every hash recomputed). */
  async function rewrittenCopy(stream: string): Promise<MemoryEventStore> {
    const events = await store.readAll();
    const rewritten = rewriteStreamConsistently(
      events.filter((event) => event.stream === stream),
      1,
      (data) => (data instanceof Uint8Array ? new Uint8Array([...data].reverse()) : { ...(data as object), forged: true }),
    );
    const copy = new MemoryEventStore();
    await copy.importEvents(events.map((event) => (event.stream === stream ? rewritten[event.revision] : event)));
    return copy;
  }

  it('names the stream whose head differs after a consistent rewrite, which the chain check cannot see', async () => {
    const copy = await rewrittenCopy('proposal-p1-content');
    const result = await verifyCheckpoint(copy, checkpoint);
    expect(result.ok).toBe(false);
    expect(result.signature.ok).toBe(true);
    expect(result.differences).toEqual([
      expect.objectContaining({ stream: 'proposal-p1-content', checkpoint: expect.objectContaining({ revision: expect.any(Number) }) }),
    ]);
    expect(result.problems[0]).toMatch(/^stream proposal-p1-content: head as of position \d+ is revision \d+ hash [0-9a-f]{64}, the checkpoint has revision \d+ hash/);
  });

  it('says the root differs but cannot name the stream when the file has no heads', async () => {
    const copy = await rewrittenCopy('proposal-p1-content');
    const withoutHeads: SignedCheckpoint = { ...checkpoint };
    delete withoutHeads.heads;
    const result = await verifyCheckpoint(copy, withoutHeads);
    expect(result.ok).toBe(false);
    expect(result.differences).toEqual([]);
    expect(result.problems).toEqual([expect.stringMatching(/give Merkle root [0-9a-f]{64} over \d+ streams; the checkpoint has .*cannot be named/)]);
  });

  /** What a workspace auditor saves: the signed root and proofs for some streams, no heads. */
  function scoped(stream: string): SignedCheckpoint {
    const { heads, ...signed } = checkpoint;
    return { ...signed, proofs: streamHeadInclusionProofs(heads ?? [], (name) => name === stream) };
  }

  it('checks a file with inclusion proofs instead of heads, and names a proven stream that was rewritten', async () => {
    const file = parseSignedCheckpoint(JSON.stringify(scoped('proposal-p1-content')));
    expect(file.heads).toBeUndefined();
    expect(await verifyCheckpoint(store, file)).toMatchObject({ ok: true, fileProofsConsistent: true, problems: [] });

    const result = await verifyCheckpoint(await rewrittenCopy('proposal-p1-content'), file);
    expect(result.ok).toBe(false);
    expect(result.differences).toEqual([expect.objectContaining({ stream: 'proposal-p1-content' })]);
  });

  it('refuses an inclusion proof edited in the file', async () => {
    const file = scoped('proposal-p0');
    const proofs = file.proofs?.map((proof) => ({ ...proof, head: { ...proof.head, revision: proof.head.revision + 1 } }));
    const result = await verifyCheckpoint(store, { ...file, proofs });
    expect(result.fileProofsConsistent).toBe(false);
    expect(result.problems).toEqual([expect.stringMatching(/inclusion proof of stream proposal-p0 .* does not lead to its signed Merkle root/)]);
  });

  it('refuses heads in the file that do not reproduce the signed root', async () => {
    const heads = checkpoint.heads?.map((head, index) => (index === 0 ? { ...head, revision: head.revision + 1 } : head));
    const result = await verifyCheckpoint(store, { ...checkpoint, heads });
    expect(result.fileHeadsConsistent).toBe(false);
    expect(result.problems).toEqual([expect.stringMatching(/do not reproduce its signed Merkle root/)]);
  });

  it('notices a log that ends before the checkpoint', async () => {
    const events = await store.readAll();
    const copy = new MemoryEventStore();
    await copy.importEvents(events.filter((event) => event.position < checkpoint.globalPosition));
    const result = await verifyCheckpoint(copy, checkpoint);
    expect(result.problems[0]).toMatch(/the log ends at position \d+, before the checkpoint's position/);
    expect(result.problems[1]).toMatch(/^stream \S+: head as of position/);
  });

  it('refuses a forged checkpoint signed by another key when the auditor pins the key', async () => {
    const forged = { ...signCheckpoint(checkpoint, other.privateKey), heads: checkpoint.heads };
    expect((await verifyCheckpoint(store, forged)).ok).toBe(true);
    const pinned = await verifyCheckpoint(store, forged, { trustedPublicKey: checkpoint.publicKey });
    expect(pinned.ok).toBe(false);
    expect(pinned.problems).toEqual([expect.stringMatching(/^checkpoint signature: the checkpoint was signed with key/)]);
  });
});
