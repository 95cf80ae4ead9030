import { HttpStatus } from '@nestjs/common';
import { RetryLaterException } from './retry-later.exception';

/**
 * A semaphore with a bounded waiting line: at most `limit` tasks run at once, at most `queue` wait,
 * and anything beyond is refused at once (503 with Retry-After) instead of piling up in memory.
 * Used for password hashing, where each task holds ~19 MiB and a core for tens of milliseconds.
 */
export class BoundedConcurrency {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    readonly limit: number,
    readonly queue: number,
    private readonly busyMessage = 'The server is busy; retry shortly',
  ) {
    if (!Number.isInteger(limit) || limit < 1) throw new Error(`concurrency limit ${limit} must be at least 1`);
    if (!Number.isInteger(queue) || queue < 0) throw new Error(`queue length ${queue} must be 0 or more`);
  }

  get running(): number {
    return this.active;
  }

  get queued(): number {
    return this.waiting.length;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) {
      if (this.waiting.length >= this.queue) {
        throw new RetryLaterException(HttpStatus.SERVICE_UNAVAILABLE, this.busyMessage, 1);
      }
      // The finishing task hands its slot over directly, so `active` never drops in between.
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.active++;
    }
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}
