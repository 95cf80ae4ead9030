import type { ExpectedRevision } from './event-store.port';

export class WrongExpectedRevisionError extends Error {
  override readonly name = 'WrongExpectedRevisionError';
  constructor(
    readonly stream: string,
    readonly expected: ExpectedRevision,
    readonly actual: number,
  ) {
    super(
      `Stream ${stream} is at revision ${actual === -1 ? '(none)' : actual}, expected ${String(expected)}`,
    );
  }
}

export class StreamNotFoundError extends Error {
  override readonly name = 'StreamNotFoundError';
  constructor(readonly stream: string) {
    super(`Stream ${stream} does not exist`);
  }
}

/** Re-appending event ids that exist, but not as the same batch at the same place. */
export class IdempotencyConflictError extends Error {
  override readonly name = 'IdempotencyConflictError';
  constructor(
    readonly stream: string,
    readonly eventId: string,
  ) {
    super(`Event ${eventId} was already appended to ${stream} in a different batch`);
  }
}

/** The store cannot be reached (network, server down); callers may retry. */
export class EventStoreUnavailableError extends Error {
  override readonly name = 'EventStoreUnavailableError';
  constructor(message: string, override readonly cause?: unknown) {
    super(message);
  }
}
