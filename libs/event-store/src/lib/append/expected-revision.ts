import { WrongExpectedRevisionError } from '../errors';
import type { ExpectedRevision } from '../event-store.port';

/**
 * Checks an append's expected revision against the stream's actual last revision (-1: no stream).
 * Adapters call it where the actual revision cannot change underneath (inside their write lock or
 * transaction), so the check and the write are one atomic step.
 */
export function assertExpectedRevision(
  stream: string,
  expected: ExpectedRevision,
  actual: number,
): void {
  if (!matchesExpectedRevision(expected, actual)) {
    throw new WrongExpectedRevisionError(stream, expected, actual);
  }
}

function matchesExpectedRevision(expected: ExpectedRevision, actual: number): boolean {
  switch (expected) {
    case 'any':
      return true;
    case 'no_stream':
      return actual === -1;
    case 'stream_exists':
      return actual >= 0;
    default:
      return expected === actual;
  }
}
