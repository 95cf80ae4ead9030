import { TestBed } from '@angular/core/testing';
import { StatusChip } from './status-chip';

describe('StatusChip', () => {
  it.each([
    ['in_review', 'In review'],
    ['changes_requested', 'Changes requested'],
    ['drafting', 'Drafting'],
    ['submitted', 'Submitted'],
  ] as const)('shows %s as "%s"', async (status, label) => {
    const fixture = TestBed.createComponent(StatusChip);
    fixture.componentRef.setInput('status', status);
    await fixture.whenStable();

    const pill: HTMLElement = fixture.nativeElement.querySelector('.cc-status');
    expect(pill.textContent).toBe(label);
    expect(pill.classList).toContain(`cc-status--${status}`);
  });
});
