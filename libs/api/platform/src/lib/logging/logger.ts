import { LoggerService } from '@nestjs/common';
import pino, { Logger } from 'pino';

/** One structured logger for the process; never log tokens, passwords or payload bytes. */
export const rootLogger: Logger = pino({
  level: process.env['LOG_LEVEL'] ?? 'info',
  redact: ['req.headers.authorization', 'password', 'token', 'accessToken'],
  base: { service: 'concord-api' },
});

/** Nest's own messages (module init, route mapping) through pino. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger = rootLogger) {}
  log(message: unknown, context?: string) {
    this.logger.info({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string) {
    this.logger.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string) {
    this.logger.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string) {
    this.logger.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string) {
    this.logger.trace({ context }, String(message));
  }
}
