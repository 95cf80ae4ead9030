import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { MATERIAL_ANIMATIONS } from '@angular/material/core';
import type { CheckpointDto } from '@concord/contracts';
import { CheckpointsStore } from '@concord/web/audit/data-access';
import { SignedCheckpoints } from './signed-checkpoints';

const CHECKPOINT: CheckpointDto = {
  globalPosition: 40,
  merkleRoot: 'ab'.repeat(32),
  streamCount: 18,
  at: '2026-01-05T10:30:00.000Z',
  algorithm: 'Ed25519',
  signature: 'c2lnbmF0dXJl',
  publicKeyFingerprint: 'cd'.repeat(32),
  publicKey: '-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA\n-----END PUBLIC KEY-----\n',
  eventPosition: 41,
};

describe('SignedCheckpoints', () => {
  let fixture: ComponentFixture<SignedCheckpoints>;
  let http: HttpTestingController;
  let page: HTMLElement;

  async function settle(): Promise<void> {
    for (let i = 0; i < 3; i++) {
      await Promise.resolve();
      fixture.detectChanges();
    }
  }

  beforeEach(async () => {
    TestBed.configureTestingModule({
      imports: [SignedCheckpoints],
      providers: [
        CheckpointsStore,
        provideHttpClient(),
        provideHttpClientTesting(),
        { provide: MATERIAL_ANIMATIONS, useValue: { animationsDisabled: true } },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(SignedCheckpoints);
    page = fixture.nativeElement;
    await settle();
    http
      .expectOne('/api/audit/checkpoints?limit=50')
      .flush({ publicKey: CHECKPOINT.publicKey, publicKeyFingerprint: CHECKPOINT.publicKeyFingerprint, items: [CHECKPOINT] });
    await settle();
  });

  afterEach(() => {
    http.verify();
    jest.restoreAllMocks();
  });

  it('shows the public key, its fingerprint and each checkpoint', () => {
    expect(page.querySelector('[data-testid="checkpoint-public-key"]')?.textContent).toBe(CHECKPOINT.publicKey);
    expect(page.textContent).toContain('cd'.repeat(32));
    const cells = [...page.querySelectorAll('tr.mat-mdc-row td')].map((cell) => cell.textContent?.trim());
    expect(cells).toEqual(['2026-01-05 10:30:00', '40', '18', 'ab'.repeat(32), 'Download checkpoint']);
  });

  it('downloads a checkpoint, with its stream heads, as a JSON file', async () => {
    const createObjectURL = jest.fn<string, [Blob]>(() => 'blob:checkpoint');
    // jsdom has no object URLs.
    Object.assign(URL, { createObjectURL, revokeObjectURL: jest.fn() });
    const saved: string[] = [];
    jest.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      saved.push(this.download);
    });

    page.querySelector<HTMLButtonElement>('button[aria-label="Download checkpoint signed at position 40"]')?.click();
    const withHeads = { ...CHECKPOINT, heads: [{ stream: 'iscm-add', revision: 5, hash: 'ef'.repeat(32) }] };
    http.expectOne('/api/audit/checkpoints/40').flush(withHeads);
    await settle();

    expect(saved).toEqual(['concord-checkpoint-40.json']);
    // jsdom's Blob has no text(): read it the older way.
    const blob = createObjectURL.mock.calls[0][0];
    const text = await new Promise<string>((resolve) => {
      const reader = new FileReader();
      reader.onload = () => resolve(reader.result as string);
      reader.readAsText(blob);
    });
    expect(JSON.parse(text)).toEqual(withHeads);
  });

  it('says why a checkpoint could not be downloaded', async () => {
    page.querySelector<HTMLButtonElement>('button[aria-label="Download checkpoint signed at position 40"]')?.click();
    http
      .expectOne('/api/audit/checkpoints/40')
      .flush({ statusCode: 409, error: 'Conflict', message: 'The log no longer reproduces the checkpoint signed at position 40' }, { status: 409, statusText: 'Conflict' });
    await settle();

    expect(page.querySelector('[role="alert"]')?.textContent).toContain('The log no longer reproduces the checkpoint signed at position 40');
  });
});
