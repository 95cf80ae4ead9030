import { Backoff, retryWithBackoff, WakeableWait } from './backoff';

describe('Backoff', () => {
  it('doubles from the first delay up to the cap, and starts over after reset', () => {
    const backoff = new Backoff(100, 1_000);
    expect([backoff.next(), backoff.next(), backoff.next(), backoff.next(), backoff.next()]).toEqual([100, 200, 400, 800, 1_000]);
    expect(backoff.next()).toBe(1_000);
    backoff.reset();
    expect(backoff.next()).toBe(100);
  });
});

describe('WakeableWait', () => {
  it('resolves after the time given', async () => {
    const started = Date.now();
    await new WakeableWait().wait(30);
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
  });

  it('ends the pending wait at once when woken, even one without a time', async () => {
    const waiting = new WakeableWait();
    const order: string[] = [];
    const forever = waiting.wait().then(() => order.push('woken'));
    const long = new WakeableWait();
    const started = Date.now();
    const timed = long.wait(60_000).then(() => order.push('timed woken'));
    waiting.wake();
    long.wake();
    await Promise.all([forever, timed]);
    expect(order).toEqual(['woken', 'timed woken']);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('does nothing when woken with no wait pending', async () => {
    const waiting = new WakeableWait();
    waiting.wake();
    const started = Date.now();
    await waiting.wait(20);
    expect(Date.now() - started).toBeGreaterThanOrEqual(15);
  });
});

describe('retryWithBackoff', () => {
  it('retries until the attempt succeeds, telling each failure with the coming delay', async () => {
    const waits: number[] = [];
    const failures: Array<[string, number, number]> = [];
    const result = await retryWithBackoff(
      async (attempt) => {
        if (attempt < 4) throw new Error(`failure ${attempt}`);
        return `done at ${attempt}`;
      },
      {
        firstDelayMs: 10,
        maxDelayMs: 30,
        onFailure: (error, attempt, delay) => failures.push([(error as Error).message, attempt, delay]),
        wait: async (ms) => {
          waits.push(ms);
        },
      },
    );
    expect(result).toBe('done at 4');
    expect(failures).toEqual([
      ['failure 1', 1, 10],
      ['failure 2', 2, 20],
      ['failure 3', 3, 30],
    ]);
    expect(waits).toEqual([10, 20, 30]);
  });

  it('stops with what onFailure throws', async () => {
    let attempts = 0;
    const outcome = retryWithBackoff(
      async () => {
        attempts += 1;
        throw new Error('conflict');
      },
      {
        firstDelayMs: 1,
        maxDelayMs: 1,
        onFailure: (error, attempt) => {
          if (attempt >= 3) throw new Error(`gave up after ${attempt}: ${(error as Error).message}`);
        },
      },
    );
    await expect(outcome).rejects.toThrow('gave up after 3: conflict');
    expect(attempts).toBe(3);
  });

  it('uses the delay function when one is given', async () => {
    const waits: number[] = [];
    await retryWithBackoff(
      async (attempt) => {
        if (attempt < 3) throw new Error('again');
      },
      { firstDelayMs: 100, maxDelayMs: 100, delayMs: (attempt) => attempt * 7, wait: async (ms) => void waits.push(ms) },
    );
    expect(waits).toEqual([7, 14]);
  });
});
