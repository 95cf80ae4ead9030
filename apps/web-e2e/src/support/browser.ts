/**
 * The Debian Chromium driven by playwright-core (never a downloaded browser). Every page records
 * its console errors and uncaught exceptions; after each test they are printed and, unless a test
 * allowed them, fail it. Content-Security-Policy violations always fail the test: the app must work
 * under the server's CSP, and no test may allow otherwise.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type BrowserContext, type Page, chromium } from 'playwright-core';
import { WORKSPACE_ROOT, afterEveryTest, onTeardown } from './lifecycle';
import type { ConcordServer } from './server';

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
/** A 1366×768 laptop screen. */
export const LAPTOP_VIEWPORT = { width: 1366, height: 768 };
export const SCREENSHOT_DIR = join(WORKSPACE_ROOT, 'docs/screenshots');

/** Launches Chromium; closed after the spec file (or after the test, when launched inside one). */
export async function newBrowser(): Promise<Browser> {
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
  onTeardown(() => browser.close());
  return browser;
}

export interface NewPageOptions {
  viewport?: { width: number; height: number };
  /** A label used when printing this page's console output (default: page-<n>). */
  label?: string;
}

interface PageLog {
  label: string;
  page: Page;
  errors: string[];
  allowed: RegExp[];
  cspViolations: string[];
}

declare global {
  interface Window {
    __concordCspViolation?: (report: string) => void;
  }
}

const pageLogs: PageLog[] = [];
let pageCounter = 0;

/**
 * A new browser context (own cookies, storage and IndexedDB: one "person") with one page whose
 * relative URLs resolve against the server. Closed after the current test (or after the file when
 * opened in beforeAll).
 */
export async function newPage(browser: Browser, server: ConcordServer, options: NewPageOptions = {}): Promise<Page> {
  const context: BrowserContext = await browser.newContext({
    baseURL: server.baseUrl,
    viewport: options.viewport ?? LAPTOP_VIEWPORT,
    locale: 'en-GB',
    timezoneId: 'UTC',
  });
  // Generous bounds: CI shares two cores between this suite's two workers and the other projects'
  // tests, and a page load there has been seen to take over 10 s. A test still fails on what never comes.
  context.setDefaultTimeout(20_000);
  context.setDefaultNavigationTimeout(30_000);
  const cspViolations: string[] = [];
  await context.exposeFunction('__concordCspViolation', (report: string) => cspViolations.push(report));
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      window.__concordCspViolation?.(
        `${event.effectiveDirective} blocked ${event.blockedURI || 'inline'} (${event.sourceFile || 'document'}:${event.lineNumber})`,
      );
    });
  });
  const page = await context.newPage();
  const log: PageLog = { label: options.label ?? `page-${++pageCounter}`, page, errors: [], allowed: [], cspViolations };
  pageLogs.push(log);
  page.on('console', (message) => {
    // Counted once, as a CSP violation, which no allowConsoleErrors pattern can excuse.
    if (/Content Security Policy/i.test(message.text())) return void cspViolations.push(`console: ${message.text()}`);
    if (message.type() === 'error' || (message.type() === 'warning' && /yjs was already imported/i.test(message.text()))) {
      const location = message.location();
      log.errors.push(`console.${message.type()}: ${message.text()}${location.url ? ` (${location.url}:${location.lineNumber})` : ''}`);
    }
  });
  page.on('pageerror', (error) => log.errors.push(`uncaught: ${error.stack ?? error.message}`));
  onTeardown(async () => {
    await context.close().catch(() => undefined);
  });
  return page;
}

/** Lets `page` log console errors matching one of `patterns` (e.g. an expected 403) without failing. */
export function allowConsoleErrors(page: Page, ...patterns: RegExp[]): void {
  const log = pageLogs.find((entry) => entry.page === page);
  if (!log) throw new Error('allowConsoleErrors: the page was not opened with newPage()');
  log.allowed.push(...patterns);
}

/** The console errors and uncaught exceptions `page` has logged so far. */
export function consoleErrors(page: Page): string[] {
  return [...(pageLogs.find((entry) => entry.page === page)?.errors ?? [])];
}

/** The CSP violations `page` has reported so far, which then no longer fail the test (for tests of the CSP itself). */
export function takeCspViolations(page: Page): string[] {
  const log = pageLogs.find((entry) => entry.page === page);
  return log ? log.cspViolations.splice(0) : [];
}

afterEveryTest(() => {
  const unexpected: string[] = [];
  for (const log of pageLogs.filter((entry) => entry.cspViolations.length > 0)) {
    unexpected.push(...log.cspViolations.map((violation) => `${log.label}: CSP violation: ${violation}`));
  }
  for (const log of pageLogs.splice(0)) {
    if (log.errors.length === 0) continue;
    process.stderr.write(`\n[web-e2e] console errors of ${log.label}:\n  ${log.errors.join('\n  ')}\n`);
    unexpected.push(...log.errors.filter((error) => !log.allowed.some((pattern) => pattern.test(error))).map((e) => `${log.label}: ${e}`));
  }
  if (unexpected.length > 0) {
    throw new Error(`The page logged errors:\n${unexpected.join('\n')}`);
  }
});

/** Saves a PNG to docs/screenshots/<name>.png; returns its path. */
export async function screenshot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, name.endsWith('.png') ? name : `${name}.png`);
  await page.screenshot({ path, fullPage: options.fullPage ?? false, animations: 'disabled' });
  return path;
}

