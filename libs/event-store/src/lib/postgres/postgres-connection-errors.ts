import { EventStoreUnavailableError } from '../errors';

/** Socket-level failures reaching the server. */
const NETWORK_ERROR_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH', 'EPIPE', 'EAI_AGAIN']);
/** SQLSTATEs meaning "the server is not there for you right now" (shutdown, restart, overload). */
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);
/** node-pg reports a dropped or timed-out connection by message only. */
const CONNECTION_LOST_MESSAGE = /connection terminated|connection timeout|timeout exceeded when trying to connect|connection error/i;

/** True for failures a caller may retry once the database is reachable again. */
export function isConnectionFailure(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') {
    // SQLSTATE class 08: connection exception.
    if (NETWORK_ERROR_CODES.has(code) || UNAVAILABLE_SQLSTATES.has(code) || code.startsWith('08')) return true;
  }
  return error instanceof Error && CONNECTION_LOST_MESSAGE.test(error.message);
}

/** Wraps connection failures in EventStoreUnavailableError; other errors pass through unchanged. */
export function asUnavailableIfConnectionFailure(error: unknown, whileDoing: string): unknown {
  if (error instanceof EventStoreUnavailableError || !isConnectionFailure(error)) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new EventStoreUnavailableError(`PostgreSQL is unavailable while ${whileDoing}: ${reason}`, error);
}
