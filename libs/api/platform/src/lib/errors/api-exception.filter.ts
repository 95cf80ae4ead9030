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
    if (statusCode === HttpStatus.SERVICE_UNAVAILABLE) response.setHeader('Retry-After', '2');
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
