export const DOMAIN_ERROR_CODES = ['forbidden', 'invalid', 'not_found', 'conflict', 'invalid_state'] as const;
export type DomainErrorCode = (typeof DOMAIN_ERROR_CODES)[number];

/**
 * The one way a decider rejects a command. The API maps the code to an HTTP status
 * (forbidden 403, invalid 400, not_found 404, conflict and invalid_state 409) and shows the message.
 */
export class DomainError extends Error {
  override readonly name = 'DomainError';

  constructor(
    readonly code: DomainErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export const forbidden = (message: string) => new DomainError('forbidden', message);
export const invalid = (message: string) => new DomainError('invalid', message);
export const notFound = (message: string) => new DomainError('not_found', message);
export const conflict = (message: string) => new DomainError('conflict', message);
export const invalidState = (message: string) => new DomainError('invalid_state', message);
