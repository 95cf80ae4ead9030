/**
 * The web app runs under the server's Content-Security-Policy: the sign-in page and a proposal with
 * the live editor load without a single violation (every browser test fails on one, see
 * support/browser.ts), and the policy really is enforced: an injected inline script does not run.
 */
import type { Browser } from 'playwright-core';
import { type ConcordServer, loginAs, newBrowser, newPage, openProposalAs, startServer, takeCspViolations } from './support';

describe('security headers in the browser', () => {
  let server: ConcordServer;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), newBrowser()]);
  });

  it('serves the app with a CSP that forbids inline script and framing, and the app works under it', async () => {
    const page = await newPage(browser, server, { label: 'csp' });
    const response = await page.goto('/login');
    const headers = response?.headers() ?? {};
    expect(headers['content-security-policy']).toMatch(/script-src 'self'(;|$)/);
    expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(headers['x-content-type-options']).toBe('nosniff');
    await loginAs(page, 'drafter1');
    expect(takeCspViolations(page)).toEqual([]);
  });

  it('blocks an injected inline script and reports the violation', async () => {
    const page = await newPage(browser, server, { label: 'csp-injection' });
    await page.goto('/login');
    const ran = await page.evaluate(async () => {
      const script = document.createElement('script');
      script.textContent = 'window.__injected = true';
      document.head.appendChild(script);
      await new Promise((resolve) => setTimeout(resolve, 100));
      return (window as unknown as { __injected?: boolean }).__injected === true;
    });
    expect(ran).toBe(false);
    const violations = takeCspViolations(page);
    expect(violations.some((violation) => /script-src/.test(violation))).toBe(true);
  });

  it('opens a proposal with the live editor without a violation', async () => {
    const [proposal] = await server.proposals(await server.login('drafter1'));
    const page = await openProposalAs(browser, server, 'drafter1', proposal.title);
    expect(takeCspViolations(page)).toEqual([]);
  });
});
