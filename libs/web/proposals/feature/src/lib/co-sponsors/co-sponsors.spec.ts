import { signal } from '@angular/core';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import type { CoSponsorDto, MemberStateDto } from '@concord/contracts';
import { ProposalStore } from '@concord/web/proposals/data-access';
import { CoSponsors } from './co-sponsors';

const UAE: CoSponsorDto = { memberState: 'AE', memberStateName: 'United Arab Emirates', by: 'u-khalid', byName: 'Khalid Al Hammadi (United Arab Emirates)', at: '2026-12-06T10:00:00Z', revision: 4 };
const INDIA: CoSponsorDto = { memberState: 'IN', memberStateName: 'India', by: 'u-priya', byName: 'Priya Sharma (India)', at: '2026-12-06T11:00:00Z', revision: 5 };

describe('CoSponsors', () => {
  let fixture: ComponentFixture<CoSponsors>;
  const calls: string[] = [];

  async function render(options: { coSponsors: CoSponsorDto[]; canCoSponsor: boolean; myState: MemberStateDto | null; refuse?: string }): Promise<HTMLElement> {
    calls.length = 0;
    const proposal = signal({ coSponsors: options.coSponsors });
    const store = {
      proposal,
      permissions: signal({ canCoSponsor: options.canCoSponsor }),
      myMemberState: signal(options.myState),
      pendingAction: signal(null),
      coSponsor: async () => {
        calls.push('coSponsor');
        if (options.refuse) throw new Error(options.refuse);
        proposal.set({ coSponsors: [...proposal().coSponsors, INDIA] });
      },
      withdrawCoSponsorship: async (code: string) => {
        calls.push(`withdraw ${code}`);
        proposal.set({ coSponsors: proposal().coSponsors.filter((c) => c.memberState !== code) });
      },
      clearActionError: () => calls.push('clearActionError'),
      refresh: async () => calls.push('refresh'),
    };
    TestBed.configureTestingModule({ providers: [{ provide: ProposalStore, useValue: store }] });
    fixture = TestBed.createComponent(CoSponsors);
    await fixture.whenStable();
    return fixture.nativeElement;
  }

  const button = (page: HTMLElement) => page.querySelector('button') as HTMLButtonElement | null;

  afterEach(() => fixture.destroy());

  it('lists the co-sponsoring states by name for everyone, with no button for other roles', async () => {
    const page = await render({ coSponsors: [UAE, INDIA], canCoSponsor: false, myState: null });
    const items = Array.from(page.querySelectorAll('[data-testid="co-sponsoring-state"] strong')).map((e) => e.textContent?.trim());
    expect(items).toEqual(['India', 'United Arab Emirates']);
    expect(button(page)).toBeNull();
  });

  it("says when no state co-sponsors, and offers a delegate to co-sponsor for their state; the same button then withdraws", async () => {
    const page = await render({ coSponsors: [], canCoSponsor: true, myState: { code: 'IN', name: 'India' } });
    expect(page.textContent).toContain('No member state co-sponsors this proposal yet.');
    const first = button(page);
    expect(first?.textContent?.trim()).toBe('Co-sponsor for India');
    first?.click();
    await fixture.whenStable();
    expect(calls).toEqual(['coSponsor']);
    expect(button(page)).toBe(first);
    expect(first?.textContent?.trim()).toBe('Withdraw co-sponsorship');
    expect(page.querySelector('[role="status"]')?.textContent).toBe('India now co-sponsors this proposal.');
    first?.click();
    await fixture.whenStable();
    expect(calls).toEqual(['coSponsor', 'withdraw IN']);
    expect(page.querySelector('[role="status"]')?.textContent).toBe('India no longer co-sponsors this proposal.');
  });

  it("shows the server's reason beside the button when refused, and reads the proposal again", async () => {
    const page = await render({ coSponsors: [], canCoSponsor: true, myState: { code: 'IN', name: 'India' }, refuse: 'IN already co-sponsors this proposal.' });
    button(page)?.click();
    await fixture.whenStable();
    expect(page.querySelector('[role="alert"]')?.textContent).toContain('IN already co-sponsors this proposal.');
    expect(calls).toEqual(['coSponsor', 'clearActionError', 'refresh']);
  });
});
