import { HttpStatus } from '@nestjs/common';
import { BoundedConcurrency } from './bounded-concurrency';
import { RetryLaterException } from './retry-later.exception';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('BoundedConcurrency', () => {
  it('runs at most `limit` tasks at once, queues up to `queue`, and refuses the rest with 503 + Retry-After', async () => {
    const gate = new BoundedConcurrency(2, 1);
    const release = [deferred(), deferred(), deferred()];
    let maxRunning = 0;
    const started: number[] = [];
    const task = (i: number) => () => {
      started.push(i);
      maxRunning = Math.max(maxRunning, gate.running);
      return release[i].promise.then(() => i);
    };
    const first = gate.run(task(0));
    const second = gate.run(task(1));
    const third = gate.run(task(2));
    const refused = gate.run(() => Promise.resolve(99));
    await expect(refused).rejects.toBeInstanceOf(RetryLaterException);
    await refused.catch((error: RetryLaterException) => {
      expect(error.getStatus()).toBe(HttpStatus.SERVICE_UNAVAILABLE);
      expect(error.retryAfterSeconds).toBe(1);
    });
    await Promise.resolve();
    expect(started).toEqual([0, 1]);
    expect(gate.queued).toBe(1);

    release[0].resolve();
    expect(await first).toBe(0);
    await Promise.resolve();
    expect(started).toEqual([0, 1, 2]);
    expect(gate.running).toBe(2);

    release[1].resolve();
    release[2].resolve();
    expect(await Promise.all([second, third])).toEqual([1, 2]);
    expect(gate.running).toBe(0);
    expect(maxRunning).toBe(2);
  });

  it('frees the slot when a task fails', async () => {
    const gate = new BoundedConcurrency(1, 0);
    await expect(gate.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(gate.running).toBe(0);
    await expect(gate.run(() => Promise.resolve('ok'))).resolves.toBe('ok');
  });
});
