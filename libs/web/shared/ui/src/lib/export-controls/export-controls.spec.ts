import { TestBed } from '@angular/core/testing';
import { By } from '@angular/platform-browser';
import { ExportControls, type ExportRequest } from './export-controls';

describe('ExportControls', () => {
  function render(showRevisions: boolean) {
    const fixture = TestBed.createComponent(ExportControls);
    fixture.componentRef.setInput('showRevisions', showRevisions);
    const asked: ExportRequest[] = [];
    fixture.componentInstance.exportRequested.subscribe((request) => asked.push(request));
    fixture.detectChanges();
    return { fixture, asked };
  }
  const button = (fixture: ReturnType<typeof render>['fixture'], text: string) =>
    fixture.debugElement.queryAll(By.css('button')).find((b) => (b.nativeElement as HTMLElement).textContent?.includes(text))?.nativeElement as HTMLButtonElement;

  it('asks for the format chosen, with the agreed text and current texts by default', () => {
    const { fixture, asked } = render(true);
    button(fixture, 'DOCX').click();
    button(fixture, 'PDF').click();
    expect(asked).toEqual([
      { format: 'docx', suggestions: 'clean', comments: 'omit', revisions: 'current' },
      { format: 'pdf', suggestions: 'clean', comments: 'omit', revisions: 'current' },
    ]);
  });

  it('shows progress, disables the buttons while working, and states a failure as an alert', () => {
    const { fixture } = render(false);
    fixture.componentRef.setInput('status', { kind: 'working', format: 'pdf' });
    fixture.detectChanges();
    expect(button(fixture, 'PDF').disabled).toBe(true);
    expect((fixture.nativeElement as HTMLElement).textContent).toContain('Preparing the document');
    fixture.componentRef.setInput('status', { kind: 'failed', reason: 'PDF export needs Chromium on the server.' });
    fixture.detectChanges();
    const alert = (fixture.nativeElement as HTMLElement).querySelector('[role="alert"]');
    expect(alert?.textContent).toContain('PDF export needs Chromium on the server.');
    expect(button(fixture, 'PDF').disabled).toBe(false);
    expect((fixture.nativeElement as HTMLElement).querySelector('mat-radio-group')).toBeNull();
  });
});
