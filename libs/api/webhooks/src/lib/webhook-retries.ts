/** The shape of the retry delays after attempts 1, 2, … (5 s, 30 s, 2 min, 10 min, 1 h), as multiples of the first. */
const RETRY_SHAPE = [1, 6, 24, 120, 720] as const;

/** Attempts in all: the first, then one per retry delay. */
export const WEBHOOK_MAX_ATTEMPTS = RETRY_SHAPE.length + 1;

/**
 * How long to wait after failed attempt `attempt` (1-based) before the next, or null when it was
 * the last. `baseMs` is the first delay (WEBHOOK_RETRY_BASE_MS, 5 s by default; tests shorten it).
 */
export function retryDelayMs(attempt: number, baseMs: number): number | null {
  const factor = RETRY_SHAPE[attempt - 1];
  return factor === undefined ? null : factor * baseMs;
}

/** What an answer (an HTTP status, or none: a network error or a timeout) means for the delivery. */
export function outcomeOf(status: number | null): 'delivered' | 'retry' | 'give-up' {
  if (status === null) return 'retry';
  if (status >= 200 && status < 300) return 'delivered';
  if (status >= 500 || status === 408 || status === 429) return 'retry';
  // Another 4xx (the receiver refuses it: sending again changes nothing) or a redirect (not followed).
  return 'give-up';
}
