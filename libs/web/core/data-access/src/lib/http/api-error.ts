import { HttpErrorResponse } from '@angular/common/http';
import type { ApiErrorDto } from '@concord/contracts';

/**
 * An HTTP failure reduced to what a person can act on: the server's own reason(s) when it gave
 * them (`{statusCode, error, message}`), otherwise a plain description of what went wrong.
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    /** HTTP status, or 0 when the server could not be reached. */
    readonly status: number,
    /** Every reason the server gave (validation failures arrive as several). */
    readonly reasons: readonly string[],
  ) {
    super(reasons.join(' '));
  }

  get isUnauthorized(): boolean {
    return this.status === 401;
  }

  get isForbidden(): boolean {
    return this.status === 403;
  }

  get isNotFound(): boolean {
    return this.status === 404;
  }

  get isConflict(): boolean {
    return this.status === 409;
  }
}

export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) {
    return error;
  }
  if (error instanceof HttpErrorResponse) {
    const reasons = serverReasons(error.error);
    if (reasons.length > 0) {
      return new ApiError(error.status, reasons);
    }
    return new ApiError(error.status, [fallbackReason(error.status)]);
  }
  const message = error instanceof Error && error.message ? error.message : undefined;
  return new ApiError(-1, [message ?? $localize`:@@apiError.unexpected:Something unexpected went wrong.`]);
}

function serverReasons(body: unknown): string[] {
  if (typeof body === 'string') {
    return parseJson(body).flatMap(serverReasons);
  }
  if (!isApiErrorDto(body)) {
    return [];
  }
  const messages = Array.isArray(body.message) ? body.message : [body.message];
  return messages.filter((m): m is string => typeof m === 'string' && m.trim().length > 0);
}

function isApiErrorDto(body: unknown): body is ApiErrorDto {
  return typeof body === 'object' && body !== null && 'message' in body;
}

function parseJson(text: string): unknown[] {
  try {
    return [JSON.parse(text)];
  } catch {
    return [];
  }
}

function fallbackReason(status: number): string {
  if (status === 0) {
    return $localize`:@@apiError.unreachable:Cannot reach the Concord server. Check your connection and try again.`;
  }
  if (status === 401) {
    return $localize`:@@apiError.unauthorized:Your session has ended. Please sign in again.`;
  }
  if (status === 403) {
    return $localize`:@@apiError.forbidden:You do not have permission to do this.`;
  }
  if (status === 404) {
    return $localize`:@@apiError.notFound:This item does not exist or is no longer available.`;
  }
  if (status >= 500) {
    return $localize`:@@apiError.server:The server could not complete the request (error ${status}:status:). Try again in a moment.`;
  }
  return $localize`:@@apiError.request:The request failed (error ${status}:status:).`;
}
