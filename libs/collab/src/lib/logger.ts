/** The subset of pino the collaboration server logs through (object first, message second). */
export interface CollabLogger {
  info(fields: Record<string, unknown>, message?: string): void;
  warn(fields: Record<string, unknown>, message?: string): void;
  error(fields: Record<string, unknown>, message?: string): void;
}

export const silentLogger: CollabLogger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/** Error details for a log line, without stack noise for expected failures. */
export function describeError(error: unknown): Record<string, unknown> {
  if (error instanceof Error) return { err: { name: error.name, message: error.message, stack: error.stack } };
  return { err: String(error) };
}

/** Log the first few occurrences, then one in a hundred: a flood must not flood the logs. */
export function worthLogging(count: number): boolean {
  return count <= 3 || count % 100 === 0;
}
