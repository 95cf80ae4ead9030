import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import type { CheckpointDto } from '@concord/contracts';
import { CheckpointsStore } from './checkpoints.store';

const CHECKPOINT: CheckpointDto = {
  globalPosition: 40,
  merkleRoot: 'ab'.repeat(32),
  streamCount: 18,
  at: '2026-01-05T10:30:00.000Z',
  algorithm: 'Ed25519',
  signature: 'c2lnbmF0dXJl',
  publicKeyFingerprint: 'cd'.repeat(32),
  publicKey: '-----BEGIN PUBLIC KEY-----\nMCow\n-----END PUBLIC KEY-----\n',
  eventPosition: 41,
};

describe('CheckpointsStore', () => {
  let http: HttpTestingController;
  let store: CheckpointsStore;

  async function settle(): Promise<void> {
    TestBed.tick();
    await Promise.resolve();
    TestBed.tick();
  }

  beforeEach(() => {
    TestBed.configureTestingModule({ providers: [CheckpointsStore, provideHttpClient(), provideHttpClientTesting()] });
    http = TestBed.inject(HttpTestingController);
    store = TestBed.inject(CheckpointsStore);
  });

  afterEach(() => http.verify());

  it('reads nothing until started, then the newest checkpoints and the signing key', async () => {
    await settle();
    http.expectNone('/api/audit/checkpoints?limit=50');

    store.start();
    await settle();
    expect(store.isLoading()).toBe(true);
    http
      .expectOne('/api/audit/checkpoints?limit=50')
      .flush({ publicKey: CHECKPOINT.publicKey, publicKeyFingerprint: CHECKPOINT.publicKeyFingerprint, items: [CHECKPOINT] });
    await settle();

    expect(store.checkpoints()).toEqual([CHECKPOINT]);
    expect(store.publicKey()).toContain('BEGIN PUBLIC KEY');
    expect(store.publicKeyFingerprint()).toBe('cd'.repeat(32));
    expect(store.isLoading()).toBe(false);
  });

  it('fetches one checkpoint with its heads for download', async () => {
    const download = store.fetchForDownload(40);
    expect(store.downloading()).toBe(40);
    const withHeads = { ...CHECKPOINT, heads: [{ stream: 'iscm-add', revision: 5, hash: 'ef'.repeat(32) }] };
    http.expectOne('/api/audit/checkpoints/40').flush(withHeads);

    await expect(download).resolves.toEqual(withHeads);
    expect(store.downloading()).toBeNull();
  });

  it('keeps the server’s reason when a checkpoint cannot be downloaded', async () => {
    const download = store.fetchForDownload(40);
    http
      .expectOne('/api/audit/checkpoints/40')
      .flush(
        { statusCode: 409, error: 'Conflict', message: 'The log no longer reproduces the checkpoint signed at position 40' },
        { status: 409, statusText: 'Conflict' },
      );

    await expect(download).resolves.toBeNull();
    expect(store.downloadError()?.globalPosition).toBe(40);
    expect(store.downloadError()?.error.message).toBe('The log no longer reproduces the checkpoint signed at position 40');
  });
});
