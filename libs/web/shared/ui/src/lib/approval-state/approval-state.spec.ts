import { TestBed } from '@angular/core/testing';
import { ApprovalStateLabel, approvalStateLabel, approvalStateOf } from './approval-state';

describe('approval state', () => {
  it('is "Approved at rev N" for a current approval', () => {
    const state = approvalStateOf({ approvedRevision: 12, approvalStale: false });

    expect(state).toEqual({ kind: 'approved', revision: 12 });
    expect(approvalStateLabel(state)).toBe('Approved at rev 12');
  });

  it('is "Approval stale" once the text has moved on', () => {
    expect(approvalStateLabel(approvalStateOf({ approvedRevision: 12, approvalStale: true }))).toBe('Approval stale');
  });

  it('is a dash without an approval', () => {
    expect(approvalStateLabel(approvalStateOf({ approvedRevision: null, approvalStale: false }))).toBe('—');
  });

  it('renders a description for screen readers', async () => {
    const fixture = TestBed.createComponent(ApprovalStateLabel);
    fixture.componentRef.setInput('proposal', { approvedRevision: 3, approvalStale: true });
    await fixture.whenStable();

    const span: HTMLElement = fixture.nativeElement.querySelector('span');
    expect(span.textContent).toBe('Approval stale');
    expect(span.getAttribute('aria-label')).toContain('revision 3 was approved');
  });
});
