/**
 * The one back-off of the event store and its consumers (subscriptions, the PostgreSQL LISTEN
 * connection, KurrentDB appends that lost a race, projections). `p-retry` was the first choice;
 * it is not used because its maintained versions are ESM-only (Jest here runs CommonJS and does not
 * transform node_modules), and because these loops need two things its attempt model lacks: a wait
 * cut short by a commit signal or a close, and a delay reset by progress inside a long-lived attempt.
 */

/** Exponential delays: the first, doubled after each use up to the cap; `reset` after a success. */
export class Backoff {
  private current: number;

  constructor(
    private readonly firstMs: number,
    private readonly maxMs: number,
  ) {
    this.current = firstMs;
  }

  /** The delay to wait now; the next one doubles (up to the cap). */
  next(): number {
    const delay = this.current;
    this.current = Math.min(this.current * 2, this.maxMs);
    return delay;
  }

  reset(): void {
    this.current = this.firstMs;
  }
}

/**
 * A wait that can be cut short: `wait(ms)` resolves after `ms` milliseconds (without `ms`, only when
 * woken), `wake()` ends the pending wait at once — a commit signal, or a close that must not wait.
 */
export class WakeableWait {
  private wakeUp: (() => void) | null = null;

  wait(ms?: number): Promise<void> {
    return new Promise<void>((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const done = (): void => {
        clearTimeout(timer);
        if (this.wakeUp === done) this.wakeUp = null;
        resolve();
      };
      if (ms !== undefined) timer = setTimeout(done, ms);
      this.wakeUp = done;
    });
  }

  wake(): void {
    this.wakeUp?.();
  }
}

export interface RetryOptions {
  /** Delay before the second attempt; doubled after each further failure up to `maxDelayMs`. */
  firstDelayMs: number;
  maxDelayMs: number;
  /** Overrides the exponential delay (e.g. random jitter), given the attempt that just failed. */
  delayMs?: (attempt: number) => number;
  /**
   * Called after each failure with the attempt that failed and the delay before the next one;
   * throwing stops the retries (the call rejects with what it threw).
   */
  onFailure?: (error: unknown, attempt: number, delayMs: number) => void;
  /** The wait between attempts; default a plain timer (a WakeableWait lets a close cut it short). */
  wait?: (ms: number) => Promise<void>;
}

/** Calls `attempt` (1, 2, …) until it resolves, waiting with back-off between failures. */
export async function retryWithBackoff<T>(attempt: (n: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const backoff = new Backoff(options.firstDelayMs, options.maxDelayMs);
  const wait = options.wait ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  for (let n = 1; ; n += 1) {
    try {
      return await attempt(n);
    } catch (error) {
      const delay = options.delayMs ? options.delayMs(n) : backoff.next();
      options.onFailure?.(error, n, delay);
      await wait(delay);
    }
  }
}
