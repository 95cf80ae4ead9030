/**
 * Two drafters, each in their own browser context, type into one proposal: each sees the other's
 * text and caret (with the name label).
 */
import type { Browser, Page } from 'playwright-core';
import {
  type ConcordServer,
  createProposal,
  editorContent,
  editorText,
  eventually,
  newBrowser,
  openProposalAs,
  screenshot,
  startServer,
  typeAtEnd,
} from './support';

const TITLE = 'Co-editing: portable social protection for migrant workers';

describe('co-editing in two browsers', () => {
  let server: ConcordServer;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), newBrowser()]);
    await createProposal(server, await server.login('drafter1'), { title: TITLE });
  });

  const openAs = (email: string): Promise<Page> => openProposalAs(browser, server, email, TITLE);

  it("shows each drafter the other's text and caret", async () => {
    const [amina, rohan] = await Promise.all([openAs('drafter1'), openAs('drafter2')]);

    await typeAtEnd(amina, ' Amina drafts the first commitment.');
    await eventually(async () => (await editorText(rohan)).includes('Amina drafts the first commitment.'), {
      what: "drafter2 sees drafter1's text",
    });

    await typeAtEnd(rohan, ' Rohan adds the review clause.');
    await eventually(async () => (await editorText(amina)).includes('Rohan adds the review clause.'), {
      what: "drafter1 sees drafter2's text",
    });

    // Each sees the other's caret, labelled with the other's name.
    const rohanCaretAtAmina = editorContent(amina).locator('.collaboration-carets__label', { hasText: 'Rohan Perera' });
    const aminaCaretAtRohan = editorContent(rohan).locator('.collaboration-carets__label', { hasText: 'Amina Rahman' });
    await rohanCaretAtAmina.waitFor({ state: 'visible' });
    await aminaCaretAtRohan.waitFor({ state: 'visible' });
    expect(await editorContent(amina).locator('.collaboration-carets__label', { hasText: 'Amina Rahman' }).count()).toBe(0);

    // A third person (the chair, read-only) sees both drafters' labelled carets.
    const chair = await openAs('chair');
    await editorContent(amina).click();
    await amina.keyboard.press('Control+Home');
    await amina.keyboard.type('Draft: ', { delay: 10 });
    await typeAtEnd(rohan, ' And his reply.');
    for (const name of ['Amina Rahman', 'Rohan Perera']) {
      await editorContent(chair).locator('.collaboration-carets__label', { hasText: name }).waitFor({ state: 'visible' });
    }
    await eventually(async () => (await editorText(chair)).includes('And his reply.'), { what: 'the chair sees the latest text' });
    await screenshot(chair, 'editor-two-carets');
  });
});
