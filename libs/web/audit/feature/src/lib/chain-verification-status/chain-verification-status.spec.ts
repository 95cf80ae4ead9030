import { type ComponentFixture, TestBed } from '@angular/core/testing';
import type { ChainVerificationDto } from '@concord/contracts';
import { ChainVerificationStatus } from './chain-verification-status';

const OK: ChainVerificationDto = { ok: true, streamsChecked: 18, eventsChecked: 23, checkedAt: '2026-01-05T10:30:00.000Z', firstBreak: null };
const BROKEN: ChainVerificationDto = {
  ok: false,
  streamsChecked: 18,
  eventsChecked: 7,
  checkedAt: '2026-01-05T10:30:00.000Z',
  firstBreak: { stream: 'proposal-p1', revision: 4, reason: 'hash does not match the recorded event' },
};

describe('ChainVerificationStatus', () => {
  let fixture: ComponentFixture<ChainVerificationStatus>;
  let element: HTMLElement;

  async function render(inputs: { result?: ChainVerificationDto | null; loading?: boolean; running?: boolean; error?: string | null }) {
    TestBed.configureTestingModule({ imports: [ChainVerificationStatus] });
    fixture = TestBed.createComponent(ChainVerificationStatus);
    for (const [name, value] of Object.entries(inputs)) {
      fixture.componentRef.setInput(name, value);
    }
    await fixture.whenStable();
    element = fixture.nativeElement;
  }

  function rerunButton(): HTMLButtonElement {
    const button = element.querySelector<HTMLButtonElement>('.cc-verification__rerun');
    if (!button) throw new Error('no re-run button');
    return button;
  }

  function text(): string {
    return (element.textContent ?? '').replace(/\s+/g, ' ');
  }

  it('says OK with the number of streams and events checked and when it last ran', async () => {
    await render({ result: OK });

    expect(text()).toContain('OK every hash chain is intact: 18 streams / 23 events checked');
    expect(element.querySelector('time')?.getAttribute('datetime')).toBe('2026-01-05T10:30:00.000Z');
    expect(text()).toContain('Last run');
    expect(element.querySelector('.cc-verification__result--ok')).not.toBeNull();
    expect(element.querySelector('.cc-verification__result--broken')).toBeNull();
    expect(rerunButton().textContent?.trim()).toBe('Re-run verification');
    expect(rerunButton().getAttribute('aria-disabled')).not.toBe('true');
  });

  it('uses the singular for one stream and one event', async () => {
    await render({ result: { ...OK, streamsChecked: 1, eventsChecked: 1 } });

    expect(text()).toContain('1 stream / 1 event checked');
  });

  it('names the first broken stream and revision, highlighted, and offers to show that stream', async () => {
    await render({ result: BROKEN });
    const shown: string[] = [];
    fixture.componentInstance.showStream.subscribe((stream) => shown.push(stream));

    const broken = element.querySelector('.cc-verification__result--broken');
    expect(broken).not.toBeNull();
    expect(text()).toContain('Broken');
    expect(broken?.querySelector('code.cc-hash')?.textContent).toBe('proposal-p1');
    expect(broken?.querySelector('.cc-verification__revision')?.textContent?.trim()).toBe('4');
    expect(text()).toContain('hash does not match the recorded event');

    [...element.querySelectorAll('button')].find((b) => b.textContent?.includes('Show this stream'))?.click();
    expect(shown).toEqual(['proposal-p1']);
  });

  it('says the whole stream is broken when the server names no revision', async () => {
    await render({ result: { ...BROKEN, firstBreak: { stream: 'user-1', revision: null, reason: 'stream is missing' } } });

    expect(element.querySelector('.cc-verification__revision')?.textContent?.trim()).toBe('the whole stream');
  });

  it('asks for a re-run, and shows it as busy until it finishes, ignoring further presses', async () => {
    await render({ result: OK });
    const rerun = jest.fn();
    fixture.componentInstance.rerun.subscribe(rerun);

    rerunButton().click();
    expect(rerun).toHaveBeenCalledTimes(1);

    fixture.componentRef.setInput('running', true);
    await fixture.whenStable();
    expect(rerunButton().textContent?.trim()).toBe('Verifying…');
    expect(rerunButton().getAttribute('aria-disabled')).toBe('true');
    expect(element.querySelector('section')?.getAttribute('aria-busy')).toBe('true');
    // The previous result stays on screen while the new one is computed.
    expect(text()).toContain('18 streams / 23 events checked');

    rerunButton().click();
    expect(rerun).toHaveBeenCalledTimes(1);
  });

  it('announces the result politely', async () => {
    await render({ result: OK });

    const status = element.querySelector('[role="status"]');
    expect(status?.getAttribute('aria-live')).toBe('polite');
    expect(status?.textContent).toContain('OK');
  });

  it('shows that it is reading the last result', async () => {
    await render({ loading: true });

    expect(text()).toContain('Reading the last verification…');
    expect(rerunButton().getAttribute('aria-disabled')).toBe('true');
  });

  it('shows the server’s reason when verification fails, with a way to try again', async () => {
    await render({ error: 'Only auditors and administrators may read the event log' });
    const rerun = jest.fn();
    fixture.componentInstance.rerun.subscribe(rerun);

    const alert = element.querySelector('[role="alert"]');
    expect(alert?.textContent).toContain('Could not verify the hash chains');
    expect(alert?.textContent).toContain('Only auditors and administrators may read the event log');
    alert?.querySelector('button')?.click();
    expect(rerun).toHaveBeenCalled();
  });
});
