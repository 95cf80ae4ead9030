import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import type { DocumentVerificationDto } from '@concord/contracts';
import { VerifyPage } from './verify-page';

const ALTERED: DocumentVerificationDto = {
  valid: false,
  summary: 'The file differs from the log in paragraph 2.3 (altered).',
  format: 'docx',
  exportId: 'e-1',
  recorded: true,
  kind: 'submission',
  submissionId: 's-1',
  exportedAt: '2026-12-06T10:00:00.000Z',
  exportedBy: 'Amina Rahman',
  proposals: [{ id: 'p-1', title: 'CIOP', revision: 12, contentHash: 'a'.repeat(64), hashMatches: true }],
  textCompared: true,
  differences: [{ number: '2.3', problem: 'altered', expected: '2.3.\tEnds', found: '2.3.\tEnds, or not' }],
};

describe('VerifyPage', () => {
  let fixture: ComponentFixture<VerifyPage>;
  let http: HttpTestingController;
  let element: HTMLElement;

  async function settle(): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve));
    await fixture.whenStable();
  }

  beforeEach(() => {
    TestBed.configureTestingModule({ imports: [VerifyPage], providers: [provideHttpClient(), provideHttpClientTesting()] });
    fixture = TestBed.createComponent(VerifyPage);
    http = TestBed.inject(HttpTestingController);
    element = fixture.nativeElement as HTMLElement;
    fixture.detectChanges();
  });

  function choose(file: File): void {
    const input = element.querySelector('input[type="file"]') as HTMLInputElement;
    Object.defineProperty(input, 'files', { value: [file] });
    input.dispatchEvent(new Event('change'));
  }

  it('sends the chosen file as the body and names the paragraph that differs', async () => {
    choose(new File([new Uint8Array([0x50, 0x4b, 3, 4])], 'input.docx'));
    (element.querySelector('form') as HTMLFormElement).dispatchEvent(new Event('submit'));
    const request = http.expectOne('/api/documents/verify');
    expect(request.request.method).toBe('POST');
    expect(request.request.headers.get('content-type')).toBe('application/octet-stream');
    expect(request.request.body).toBeInstanceOf(File);
    request.flush(ALTERED);
    await settle();
    expect(element.querySelector('[data-testid="verify-result"] h2')?.textContent).toContain('Does not match the log');
    expect(element.querySelector('[data-testid="verify-differences"] tbody th')?.textContent).toBe('2.3');
    expect(element.querySelector('[data-testid="verify-summary"]')?.textContent).toContain('paragraph 2.3');
  });

  it('says why a file could not be checked, and asks for a file first', async () => {
    (element.querySelector('form') as HTMLFormElement).dispatchEvent(new Event('submit'));
    await settle();
    expect(element.querySelector('[role="alert"]')?.textContent).toContain('Choose the DOCX or PDF file');
    choose(new File(['hello'], 'notes.txt'));
    (element.querySelector('form') as HTMLFormElement).dispatchEvent(new Event('submit'));
    http.expectOne('/api/documents/verify').flush({ statusCode: 400, error: 'Bad Request', message: 'The file is neither a DOCX nor a PDF document.' }, { status: 400, statusText: 'Bad Request' });
    await settle();
    expect(element.querySelector('[role="alert"]')?.textContent).toContain('neither a DOCX nor a PDF');
  });
});
