import { HttpException, HttpStatus } from '@nestjs/common';

/**
 * A refusal the client may retry after `retryAfterSeconds` (429 for the caller's own rate, 503 when
 * the server is busy); the exception filter turns it into a `Retry-After` header.
 */
export class RetryLaterException extends HttpException {
  constructor(
    status: HttpStatus.TOO_MANY_REQUESTS | HttpStatus.SERVICE_UNAVAILABLE,
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super({ statusCode: status, message }, status);
  }
}
