/**
 * The editor monkey (support/monkey.ts): two drafters, each in their own browser context, perform
 * random real actions on one demo proposal — clicks anywhere in the text, range selections,
 * typing, Backspace/Delete, Enter, every toolbar button, undo/redo, pastes small, rich and over
 * the 512 KiB limit — in seeded random order. After every burst of 50 actions each, both editors
 * must exist, be editable and show the same text as the latest revision from the REST API.
 *
 * CI runs 100 actions each with a fixed seed. `npm run monkey` runs 500 each with a fresh seed
 * (MONKEY_SEED and MONKEY_ACTIONS override both; the seed is printed, a failure replays from it).
 */
import type { Browser, Page } from 'playwright-core';
import {
  type ConcordServer,
  EditorMonkey,
  editorContent,
  findProposal,
  newBrowser,
  openProposalAs,
  screenshot,
  seedFromEnvironment,
  startServer,
} from './support';

/** The demo proposal with headings, body paragraphs and a bulleted list. */
const TITLE = 'Comprehensive Information and Orientation Programme across the migration cycle';
const CI_SEED = 20261206;
const ACTIONS = Number(process.env['MONKEY_ACTIONS'] ?? 100);
if (!Number.isInteger(ACTIONS) || ACTIONS < 1) throw new Error(`MONKEY_ACTIONS must be a positive whole number, not "${process.env['MONKEY_ACTIONS']}"`);

describe('the editor under a monkey', () => {
  let server: ConcordServer;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), newBrowser()]);
  });

  it(
    `survives ${ACTIONS} random actions by each of two drafters, and both show the recorded text`,
    async () => {
      const seed = seedFromEnvironment(CI_SEED);
      const [drafter1, drafter2] = await Promise.all([
        openProposalAs(browser, server, 'drafter1', TITLE),
        openProposalAs(browser, server, 'drafter2', TITLE),
      ]);
      const token = await server.login('drafter1');
      const proposal = await findProposal(server, TITLE, token);

      const monkey = new EditorMonkey({
        seed,
        actionsPerUser: ACTIONS,
        users: [
          { name: 'drafter1', page: drafter1 },
          { name: 'drafter2', page: drafter2 },
        ],
        proposalId: proposal.id,
        api: server.api(token),
        settleTimeoutMs: 10_000,
      });
      const result = await monkey.run().catch((error: unknown) => {
        // What the server said meanwhile (refusals, malformed frames) belongs with the failure.
        process.stdout.write(`[monkey] the server's log before the failure:\n${server.logTail(200)}\n`);
        throw error;
      });
      process.stdout.write(`[monkey] done: ${JSON.stringify(result)}\n`);

      // Every button the toolbar offers was pressed, and every oversized paste was refused.
      expect(result.toolbarButtons.length).toBeGreaterThan(0);
      expect([...result.pressedButtons].sort()).toEqual([...result.toolbarButtons].sort());
      expect(result.counts['paste-oversized']).toBeGreaterThanOrEqual(2);
      expect(result.oversizedPastesRefused).toBe(result.counts['paste-oversized']);

      await screenshotBothCarets(drafter1, drafter2);
    },
    90_000 + ACTIONS * 2 * 600,
  );

  /**
   * docs/screenshots/monkey-two-carets.png: the text as the random bursts left it, seen by the
   * chair (read-only), with both drafters' labelled carets near the top.
   */
  async function screenshotBothCarets(drafter1: Page, drafter2: Page): Promise<void> {
    const lines = (page: Page) => editorContent(page).locator('p, h1, h2, h3, h4, h5, h6');
    await lines(drafter1).nth(1).click();
    await drafter1.keyboard.press('End');
    await drafter1.keyboard.type(' Amina', { delay: 10 });
    await lines(drafter2).nth(3).click();
    await drafter2.keyboard.press('End');
    await drafter2.keyboard.type(' Rohan', { delay: 10 });
    const chair = await openProposalAs(browser, server, 'chair', TITLE);
    const labels = ['Amina Rahman', 'Rohan Perera'].map((name) =>
      editorContent(chair).locator('.collaboration-carets__label', { hasText: name }),
    );
    for (const label of labels) await label.waitFor({ state: 'visible' });
    await labels[0].scrollIntoViewIfNeeded();
    await screenshot(chair, 'monkey-two-carets');
  }
});
