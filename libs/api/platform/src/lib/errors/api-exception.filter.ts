import {
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  HttpException,
  HttpStatus,
} from '@nestjs/common';
import {
  EventStoreUnavailableError,
  IdempotencyConflictError,
  WrongExpectedRevisionError,
} from '@concord/event-store';
import type { Response } from 'express';
import { RetryLaterException } from '../abuse/retry-later.exception';
import { rootLogger } from '../logging/logger';

const DOMAIN_ERROR_STATUS: Record<string, number> = {
  invalid: HttpStatus.BAD_REQUEST,
  forbidden: HttpStatus.FORBIDDEN,
  not_found: HttpStatus.NOT_FOUND,
  conflict: HttpStatus.CONFLICT,
  invalid_state: HttpStatus.CONFLICT,
};

interface CodedError {
  name: string;
  code: string;
  message: string;
}

/** What body-parser (and the checks around it in `applyHttpHardening`) reject, by error type. */
const BODY_ERRORS: Record<string, { statusCode: number; message: (error: BodyError) => string }> = {
  'entity.too.large': {
    statusCode: HttpStatus.PAYLOAD_TOO_LARGE,
    message: (error) => `The request body is larger than the limit of ${error.limit} bytes`,
  },
  'entity.parse.failed': { statusCode: HttpStatus.BAD_REQUEST, message: () => 'The request body is not valid JSON' },
  'entity.too.deep': { statusCode: HttpStatus.BAD_REQUEST, message: (error) => error.message },
  'text.unstorable': { statusCode: HttpStatus.BAD_REQUEST, message: (error) => error.message },
  'media.unsupported': { statusCode: HttpStatus.UNSUPPORTED_MEDIA_TYPE, message: (error) => error.message },
  'encoding.unsupported': {
    statusCode: HttpStatus.UNSUPPORTED_MEDIA_TYPE,
    message: () => 'The request body uses a content encoding this server does not accept (use none, gzip or deflate)',
  },
  'charset.unsupported': {
    statusCode: HttpStatus.UNSUPPORTED_MEDIA_TYPE,
    message: () => 'The request body must be JSON in UTF-8',
  },
  'request.aborted': { statusCode: HttpStatus.BAD_REQUEST, message: () => 'The request body was cut off' },
  'request.size.invalid': {
    statusCode: HttpStatus.BAD_REQUEST,
    message: () => 'The request body is not as long as its Content-Length says',
  },
};

interface BodyError {
  type: string;
  message: string;
  limit?: number;
}

function isBodyError(error: unknown): error is BodyError {
  const type = error instanceof Error ? (error as Partial<BodyError>).type : undefined;
  return typeof type === 'string' && Object.prototype.hasOwnProperty.call(BODY_ERRORS, type);
}

/** An `http-errors` 4xx from Express itself (e.g. a path parameter with a malformed %-escape). */
function isClientHttpError(error: unknown): error is Error & { status: number } {
  const candidate = error as { status?: unknown; expose?: unknown };
  return (
    error instanceof Error &&
    candidate.expose === true &&
    typeof candidate.status === 'number' &&
    candidate.status >= 400 &&
    candidate.status < 500
  );
}

function isDomainError(error: unknown): error is CodedError {
  return (
    error instanceof Error &&
    error.name === 'DomainError' &&
    typeof (error as Partial<CodedError>).code === 'string'
  );
}

/** Every error leaves as `{statusCode, error, message}`; only unexpected ones are 500 and logged as such. */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const request = host.switchToHttp().getRequest<{ method: string; url: string }>();
    const { statusCode, message } = this.describe(exception);
    if (statusCode >= 500) {
      rootLogger.error({ err: exception, method: request.method, url: request.url }, 'request failed');
    }
    if (exception instanceof RetryLaterException) response.setHeader('Retry-After', String(exception.retryAfterSeconds));
    else if (statusCode === HttpStatus.SERVICE_UNAVAILABLE) response.setHeader('Retry-After', '2');
    response.status(statusCode).json({
      statusCode,
      error: HttpStatus[statusCode]?.replace(/_/g, ' ').toLowerCase().replace(/^\w/, (c) => c.toUpperCase()) ?? 'Error',
      message,
    });
  }

  private describe(exception: unknown): { statusCode: number; message: string | string[] } {
    if (exception instanceof HttpException) {
      const body = exception.getResponse();
      const message =
        typeof body === 'object' && body !== null && 'message' in body
          ? (body as { message: string | string[] }).message
          : exception.message;
      return { statusCode: exception.getStatus(), message };
    }
    if (isBodyError(exception)) {
      const known = BODY_ERRORS[exception.type];
      return { statusCode: known.statusCode, message: known.message(exception) };
    }
    if (isClientHttpError(exception)) {
      return { statusCode: exception.status, message: exception.message };
    }
    if (isDomainError(exception)) {
      return { statusCode: DOMAIN_ERROR_STATUS[exception.code] ?? 400, message: exception.message };
    }
    if (exception instanceof WrongExpectedRevisionError || exception instanceof IdempotencyConflictError) {
      return {
        statusCode: HttpStatus.CONFLICT,
        message: `${exception.message}: someone else changed it at the same time — reload and try again`,
      };
    }
    if (exception instanceof EventStoreUnavailableError) {
      return { statusCode: HttpStatus.SERVICE_UNAVAILABLE, message: 'The event store is unavailable; retry shortly' };
    }
    return { statusCode: HttpStatus.INTERNAL_SERVER_ERROR, message: 'Internal server error' };
  }
}
