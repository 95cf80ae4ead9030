import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';

/**
 * The client's address as Express computes it: the socket's peer, or the `X-Forwarded-For` entry
 * that TRUST_PROXY says to believe (see `applyHttpHardening`).
 */
export const ClientAddress = createParamDecorator((_: unknown, context: ExecutionContext): string => {
  const request = context.switchToHttp().getRequest<Request>();
  return request.ip ?? request.socket?.remoteAddress ?? 'unknown';
});
