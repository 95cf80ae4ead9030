/**
 * Comment threads in the browser, as people use them: the chair (who reads the text) drags over
 * words of a body paragraph and comments on them; a drafter sees the thread appear, types before
 * those words (the highlight stays on them), replies and resolves; the chair sees it resolved.
 * Keyboard: Ctrl+Alt+M on a selection opens the comment box; @ and letters suggest members to
 * mention, chosen with the arrows and Enter. Threads filter by the member state of their authors;
 * the history shows them as they stood at an older revision. axe on the panel, the comment box
 * with its list of members, and the history.
 */
import type { Browser, Page } from 'playwright-core';
import type { ThreadDto } from '@concord/contracts';
import {
  allowConsoleErrors,
  type ConcordServer,
  editorContent,
  editorText,
  eventually,
  expectAccessible,
  findProposal,
  loginAs,
  newBrowser,
  newPage,
  ok,
  openProposalAs,
  screenshot,
  sessionToken,
  selectWords,
  startServer,
} from './support';

const TITLE = 'Comprehensive Information and Orientation Programme across the migration cycle';
const PHRASE = 'unregulated intermediaries';

const highlighted = (page: Page) => editorContent(page).locator('.cc-thread-anchor').allInnerTexts();
const panel = (page: Page) => page.getByTestId('thread-panel');

describe('comment threads in the browser', () => {
  let server: ConcordServer;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), newBrowser()]);
  });

  it('a chair comments on selected words; a drafter edits around them, replies and resolves; both see it', async () => {
    const chair = await openProposalAs(browser, server, 'chair', TITLE);
    const drafter = await openProposalAs(browser, server, 'drafter1', TITLE);

    // Nothing selected: the button says what to do first.
    await panel(chair).getByTestId('comment-button').click();
    await panel(chair).getByTestId('thread-hint').getByText('Select the words').waitFor();

    await selectWords(chair, PHRASE);
    await panel(chair).getByTestId('comment-button').click();
    const draft = panel(chair).getByTestId('thread-draft');
    await draft.getByText(PHRASE).waitFor();
    await chair.keyboard.type('Which intermediaries? @Amina Rahman please cite the study.');
    await expectAccessible(chair, 'the proposal page with the comment box open (chair)');
    await draft.getByTestId('thread-post').click();

    const chairThread = panel(chair).getByTestId('thread').filter({ hasText: PHRASE });
    await chairThread.getByText('Which intermediaries?').waitFor();
    // The thread names the paragraph its words are in, as the submission numbers it (and exports print it).
    const numbering = (await (
      await chair.request.get(`/api/submissions/${(await findProposal(server, TITLE)).submissionId}/paragraphs`, { headers: { authorization: `Bearer ${await sessionToken(chair)}` } })
    ).json()) as { paragraphs: Array<{ number: string; text: string }> };
    const paragraph = numbering.paragraphs.find((p) => p.text.includes(PHRASE));
    expect(paragraph).toBeDefined();
    await chairThread.getByTestId('thread-paragraph').getByText(`in para ${paragraph?.number}`).waitFor();
    await eventually(async () => (await highlighted(chair)).join('') === PHRASE, { what: 'the words highlighted for the chair' });

    // The drafter's panel picks it up without reloading, and highlights the same words.
    const drafterThread = panel(drafter).getByTestId('thread').filter({ hasText: PHRASE });
    await drafterThread.getByText('Which intermediaries?').waitFor({ timeout: 15_000 });
    await eventually(async () => (await highlighted(drafter)).join('') === PHRASE, { what: 'the words highlighted for the drafter' });

    // The drafter types right before the words: the thread stays on them, for both.
    await selectWords(drafter, PHRASE);
    await drafter.keyboard.press('ArrowLeft');
    await drafter.keyboard.type('licensed or ', { delay: 15 });
    await eventually(async () => (await editorText(chair)).includes(`licensed or ${PHRASE}`), { what: 'the edit reaches the chair' });
    await eventually(async () => (await highlighted(chair)).join('') === PHRASE && (await highlighted(drafter)).join('') === PHRASE, {
      what: 'the highlight still on exactly the words',
    });

    await drafterThread.getByLabel('Reply').fill('Recruitment agents without a licence; source: ILO 2015.');
    await drafterThread.getByTestId('thread-reply').click();
    await drafterThread.getByText('Recruitment agents without a licence').waitFor();
    await expectAccessible(drafter, 'the proposal page with a comment thread (drafter)');
    await screenshot(drafter, 'comment-threads');
    // "Show in text" selects the words in the editor and scrolls to them.
    await drafterThread.getByRole('button', { name: 'Show in text' }).click();
    await eventually(async () => (await drafter.evaluate(() => document.getSelection()?.toString() ?? '')) === PHRASE, { what: 'the words selected' });
    await editorContent(drafter).locator('.cc-thread-anchor--active').waitFor();
    await screenshot(drafter, 'comment-anchor');
    await drafterThread.getByTestId('thread-resolve').click();
    await panel(drafter).getByTestId('threads-empty').waitFor();

    // The chair sees it resolved (under "Resolved"), and the highlight is gone.
    await panel(chair).getByRole('radio', { name: 'Resolved' }).click();
    await panel(chair).getByTestId('thread').filter({ hasText: PHRASE }).getByTestId('thread-status').getByText('Resolved by Amina Rahman').waitFor({ timeout: 15_000 });
    await panel(chair).getByTestId('thread').filter({ hasText: 'Recruitment agents without a licence' }).waitFor();
    await chair.close();
    await drafter.close();
  });

  it('opens the comment box with Ctrl+Alt+M on a selection, and tells a failure', async () => {
    const drafter = await openProposalAs(browser, server, 'drafter2', TITLE);
    allowConsoleErrors(drafter, /threads.*400 \(Bad Request\)|400 \(Bad Request\).*threads/);
    await selectWords(drafter, 'accurate, consistent information');
    await drafter.keyboard.press('Control+Alt+m');
    const box = panel(drafter).getByTestId('thread-draft').getByRole('combobox');
    await eventually(async () => box.evaluate((element) => element === document.activeElement), { what: 'the comment box focused' });
    await drafter.keyboard.type('Keyboard only.');
    // The server refuses a comment over 4000 characters; the page shows why and keeps the text.
    await box.evaluate((element: HTMLTextAreaElement) => element.removeAttribute('maxlength'));
    await box.fill('x'.repeat(4001));
    await panel(drafter).getByTestId('thread-post').click();
    await panel(drafter).getByTestId('thread-error').getByText('body must be shorter than or equal to 4000 characters').waitFor();
    expect((await box.inputValue()).length).toBe(4001);
    await drafter.close();
  });

  it('a delegate comments too, named with her member state, and may resolve only her own thread', async () => {
    const delegate = await openProposalAs(browser, server, 'delegate2', TITLE);
    await selectWords(delegate, 'before they depart');
    await panel(delegate).getByTestId('comment-button').click();
    await delegate.keyboard.type('The UAE would add: and after they arrive, within one week.');
    await panel(delegate).getByTestId('thread-post').click();
    const own = panel(delegate).getByTestId('thread').filter({ hasText: 'before they depart' });
    await own.getByText('Khalid Al Hammadi (United Arab Emirates)').waitFor();
    expect(await own.getByTestId('thread-resolve').count()).toBe(1);
    // The chair's thread of the first test is resolved; reopened by the chair it shows, without a Resolve button for her.
    await panel(delegate).getByRole('radio', { name: 'All' }).click();
    const others = panel(delegate).getByTestId('thread').filter({ hasText: PHRASE });
    await others.waitFor();
    expect(await others.getByTestId('thread-reopen').count()).toBe(0);
    await expectAccessible(delegate, 'the comment threads of a delegate');
    await delegate.close();
  });

  it('a delegate mentions a member chosen with the keyboard; the member-state filter shows one state’s threads', async () => {
    const khalid = await openProposalAs(browser, server, 'delegate2', TITLE);
    await selectWords(khalid, 'complaint mechanisms');
    await khalid.keyboard.press('Control+Alt+m');
    const box = panel(khalid).getByTestId('thread-draft').getByRole('combobox', { name: /Your comment/ });
    await eventually(async () => box.evaluate((element) => element === document.activeElement), { what: 'the comment box focused' });
    await khalid.keyboard.type('Ask @P', { delay: 20 });
    const list = panel(khalid).getByRole('listbox', { name: 'Members to mention' });
    const active = async () => list.locator(`[id="${await box.getAttribute('aria-activedescendant')}"]`).innerText();
    const highlighted = (name: string) => eventually(async () => (await active()) === name, { what: `${name} highlighted` });
    await list.getByRole('option', { name: 'Priya Sharma (India)' }).waitFor();
    await expect(box.getAttribute('aria-expanded')).resolves.toBe('true');
    await expect(list.getByRole('option').allInnerTexts()).resolves.toEqual(['Priya Sharma (India)', 'Rohan Perera']);
    await highlighted('Priya Sharma (India)');
    await khalid.keyboard.press('ArrowDown');
    await highlighted('Rohan Perera');
    await khalid.keyboard.type('ri', { delay: 20 });
    await eventually(async () => (await list.getByRole('option').allInnerTexts()).join() === 'Priya Sharma (India)', { what: 'only Priya listed' });
    await highlighted('Priya Sharma (India)');
    await expectAccessible(khalid, 'the comment box with the list of members to mention open');
    await screenshot(khalid, 'mention-autocomplete');
    await khalid.keyboard.press('Enter');
    await list.waitFor({ state: 'hidden' });
    await expect(box.inputValue()).resolves.toBe('Ask @Priya Sharma (India) ');
    await khalid.keyboard.type('whether India covers complaints in the first week.');
    await khalid.keyboard.press('Tab');
    await khalid.keyboard.press('Enter');
    const mentioning = panel(khalid).getByTestId('thread').filter({ hasText: 'complaint mechanisms' });
    await mentioning.getByText('Ask @Priya Sharma (India) whether India covers complaints').waitFor();
    // Sent as her user id, as the server records mentions.
    const priyaToken = await server.login('delegate1');
    const priyaId = (await server.me(priyaToken)).id;
    const { id: proposalId } = await findProposal(server, TITLE);
    const threads = ok(await server.api(priyaToken).get<ThreadDto[]>(`/api/proposals/${proposalId}/threads`));
    expect(threads.find((thread) => thread.quote === 'complaint mechanisms')?.messages[0].mentions).toEqual([priyaId]);

    // Priya (India) comments too; Khalid filters by member state.
    const priya = await openProposalAs(browser, server, 'delegate1', TITLE);
    await selectWords(priya, 'verify a recruiter');
    await panel(priya).getByTestId('comment-button').click();
    await priya.keyboard.type('India would list licensed recruiters here.');
    await panel(priya).getByTestId('thread-post').click();
    await panel(priya).getByTestId('thread').filter({ hasText: 'verify a recruiter' }).waitFor();

    const fromIndia = panel(khalid).getByTestId('thread').filter({ hasText: 'verify a recruiter' });
    await fromIndia.waitFor({ timeout: 15_000 });
    const states = panel(khalid).getByLabel('Written by delegates of');
    await expect(states.locator('option').allInnerTexts()).resolves.toEqual(['All member states', 'India', 'United Arab Emirates']);
    await states.selectOption({ label: 'India' });
    await eventually(async () => (await mentioning.count()) === 0, { what: "the UAE delegate's thread hidden" });
    await fromIndia.waitFor();
    await states.selectOption({ label: 'United Arab Emirates' });
    await mentioning.waitFor();
    await expect(fromIndia.count()).resolves.toBe(0);
    await expectAccessible(khalid, 'the comment threads filtered by member state');
    await states.selectOption({ label: 'All member states' });
    await fromIndia.waitFor();
    await mentioning.waitFor();
    await priya.close();
    await khalid.close();
  });

  it('the history shows the chair’s thread as it stood when it was opened: open, her comment only', async () => {
    const token = await server.login('chair');
    const { id: proposalId } = await findProposal(server, TITLE, token);
    const now = ok(await server.api(token).get<ThreadDto[]>(`/api/proposals/${proposalId}/threads`)).find((thread) => thread.quote === PHRASE);
    expect(now?.status).toBe('resolved');
    expect(now?.messages.length).toBe(2);
    const opened = now?.revision ?? 0;

    const chair = await newPage(browser, server, { label: 'chair' });
    await loginAs(chair, 'chair');
    await chair.goto(`/proposals/${proposalId}/history?rev=${opened}`);
    const view = chair.getByTestId('revision-view');
    await view.locator('.cc-prose').waitFor();
    const threads = view.getByTestId('revision-threads');
    await threads.getByRole('heading', { name: `Comments at revision ${opened}` }).waitFor();
    const then = threads.getByTestId('revision-thread').filter({ hasText: PHRASE });
    await expect(then.getByTestId('revision-thread-status').innerText()).resolves.toBe('Open');
    await expect(then.getByTestId('revision-thread-message').count()).resolves.toBe(1);
    await expect(then.innerText()).resolves.toContain('Which intermediaries?');
    await expect(then.innerText()).resolves.not.toContain('Recruitment agents without a licence');
    await expectAccessible(chair, 'a revision with its comment threads in the history');
    await screenshot(chair, 'history-threads');
    await chair.close();
  });
});
