/**
 * Teardown bookkeeping shared by the harness modules. Importing the harness from a spec file
 * registers one `afterAll` that runs every registered teardown (last registered first), so a spec
 * never has to stop servers or browsers itself.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** /work/main (the Nx workspace root). */
export const WORKSPACE_ROOT = resolve(__dirname, '../../../..');

type Teardown = () => Promise<void> | void;

const fileTeardowns: Teardown[] = [];
const testTeardowns: Teardown[] = [];
const afterEachChecks: Array<() => Promise<void> | void> = [];
let insideTest = false;

/**
 * Runs `teardown` after the current test when called from inside a test, otherwise after the
 * spec file (when called from beforeAll or at the top level).
 */
export function onTeardown(teardown: Teardown): void {
  (insideTest ? testTeardowns : fileTeardowns).push(teardown);
}

/** Runs `teardown` after the spec file, wherever it is registered. */
export function onFileTeardown(teardown: Teardown): void {
  fileTeardowns.push(teardown);
}

/** A check run after every test, before that test's teardowns (e.g. "no console errors"). */
export function afterEveryTest(check: () => Promise<void> | void): void {
  afterEachChecks.push(check);
}

async function drain(list: Teardown[]): Promise<void> {
  while (list.length > 0) {
    const teardown = list.pop() as Teardown;
    try {
      await teardown();
    } catch (error) {
      process.stderr.write(`[web-e2e] teardown failed: ${String(error)}\n`);
    }
  }
}

beforeEach(() => {
  insideTest = true;
});

afterEach(async () => {
  insideTest = false;
  const failures: unknown[] = [];
  for (const check of afterEachChecks) {
    try {
      await check();
    } catch (error) {
      failures.push(error);
    }
  }
  await drain(testTeardowns);
  if (failures.length > 0) throw failures[0];
}, 30_000);

afterAll(async () => {
  await drain(fileTeardowns);
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
}, 60_000);

const tempDirs: string[] = [];

/** A fresh temporary directory, removed after the spec file. */
export function tempDir(prefix = 'concord-web-e2e-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}

/**
 * Polls `check` until it returns something truthy without throwing; at the deadline rethrows the
 * last error (or one naming `what`).
 */
export async function eventually<T>(
  check: () => T | Promise<T>,
  { timeoutMs = 10_000, intervalMs = 100, what = 'condition' }: { timeoutMs?: number; intervalMs?: number; what?: string } = {},
): Promise<Exclude<T, false | null | undefined>> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const result = await check();
      if (result !== false && result !== null && result !== undefined) return result as Exclude<T, false | null | undefined>;
      lastError = undefined;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw lastError ?? new Error(`${what}: not met within ${timeoutMs} ms`);
    }
    await sleep(intervalMs);
  }
}
