/**
 * WCAG 2.1 AA checks with axe-core (@axe-core/playwright): `expectAccessible(page, what)` runs every
 * rule tagged wcag2a, wcag2aa, wcag21a or wcag21aa on the page as it is now and fails with one line
 * per violation and element (rule id, impact, help, target selector, HTML snippet).
 *
 * axe is injected through `page.evaluate` (the DevTools protocol), which the page's
 * Content-Security-Policy does not govern, so the strict `script-src 'self'` stays in force and axe
 * itself triggers no violation (the harness would fail the test if it did).
 */
import { AxeBuilder } from '@axe-core/playwright';
import type { Result } from 'axe-core';
import type { Page } from 'playwright-core';

/** The axe tags of WCAG 2.0 and 2.1, levels A and AA. */
export const WCAG_21_AA_TAGS: readonly string[] = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

export interface AccessibleOptions {
  /** Check only inside these selectors (default: the whole page). */
  include?: string[];
  /**
   * Elements left out of the check. Only for third-party elements the app cannot fix, each with a
   * comment at the call saying why; never a whole rule.
   */
  exclude?: string[];
}

/** Elements left out of every check, each for a stated reason (keep this list empty where possible). */
const ALWAYS_EXCLUDED: readonly string[] = [];

/** One readable line per failing element. */
export function formatViolations(violations: readonly Result[]): string {
  const lines: string[] = [];
  for (const violation of violations) {
    for (const node of violation.nodes) {
      const snippet = node.html.replace(/\s+/g, ' ').slice(0, 200);
      const summary = node.failureSummary ? `\n      ${node.failureSummary.replace(/\s*\n\s*/g, ' ')}` : '';
      lines.push(
        `  - ${violation.id} (${violation.impact ?? 'n/a'}): ${violation.help}\n      target: ${node.target.join(' ')}\n      html: ${snippet}${summary}`,
      );
    }
  }
  return lines.join('\n');
}

/**
 * Runs axe-core on `page` with the WCAG 2.0/2.1 A and AA rules; throws, naming `what` (e.g. "the
 * sign-in page") and every violation, when there is any.
 */
export async function expectAccessible(page: Page, what: string, options: AccessibleOptions = {}): Promise<void> {
  await settleAnimations(page);
  let builder = new AxeBuilder({ page }).withTags([...WCAG_21_AA_TAGS]);
  for (const selector of options.include ?? []) builder = builder.include(selector);
  for (const selector of [...ALWAYS_EXCLUDED, ...(options.exclude ?? [])]) builder = builder.exclude(selector);
  const results = await builder.analyze();
  if (results.violations.length > 0) {
    const count = results.violations.reduce((sum, violation) => sum + violation.nodes.length, 0);
    throw new Error(`${what} (${page.url()}) is not accessible: ${count} WCAG 2.1 AA violation(s) found by axe-core:\n${formatViolations(results.violations)}`);
  }
}

/**
 * Waits (at most 2 s each) for a freshly opened snack bar to announce itself, then for the page's
 * finite CSS animations and transitions to end: axe measures
 * colours as they are painted, and an error message fading in is, for a moment, paler than the
 * colour it settles on (a mat-error was once measured at 2.45:1 mid-fade, 4.5:1+ when shown).
 */
async function settleAnimations(page: Page): Promise<void> {
  await page.evaluate(async () => {
    // A snack bar opened a moment ago keeps its text and action in an aria-hidden container until
    // Material moves them into its live region (its announce delay, 150 ms): wait for that too.
    const deadline = Date.now() + 2_000;
    while (document.querySelector('.mat-mdc-snack-bar-label > [aria-hidden="true"]') && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const finite = document
      .getAnimations()
      .filter((animation) => animation.effect?.getComputedTiming().iterations !== Infinity)
      .map((animation) => animation.finished.catch(() => undefined));
    await Promise.race([Promise.all(finite), new Promise((resolve) => setTimeout(resolve, 2_000))]);
  });
}
