import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { raw as expressRaw } from 'express';
import helmet from 'helmet';
import type { IncomingMessage } from 'node:http';
import type { ConcordConfig } from '../config/concord-config';
import { containsUnstorableText, hasUnstorableText, nestingExceeds } from './json-depth';

/** One year, as browsers' preload lists expect. */
const HSTS = 'max-age=31536000; includeSubDomains';
const HOST = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;

/** `ws://host` and `wss://host` for the host the page was served from, so the co-editing socket may connect. */
function sameHostSockets(request: IncomingMessage): string {
  const host = request.headers.host ?? '';
  // The Host header is the client's own: anything odd is left out rather than echoed into a header.
  return HOST.test(host) ? `ws://${host} wss://${host}` : '';
}

/**
 * The Content-Security-Policy and the other security headers, on every response (the web app at
 * `/`, `/api/*`, `/api/docs`). Scripts only from this origin, never inline: the web build keeps
 * Angular's critical-CSS inlining off, which would otherwise need an inline `onload` handler.
 * Styles allow 'unsafe-inline': Angular inserts each component's styles as `<style>` elements at
 * run time, and the editor (ProseMirror, Yjs carets) writes `style` attributes, which no nonce
 * can cover; an inline style cannot run script, so the XSS protection rests on script-src.
 */
function securityHeaders() {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        scriptSrcAttr: ["'none'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'", (request) => sameHostSockets(request)],
        workerSrc: ["'self'", 'blob:'],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    // HSTS only over TLS (below): sent over plain HTTP it would be ignored at best.
    strictTransportSecurity: false,
    xFrameOptions: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginEmbedderPolicy: false,
  });
}

function hstsOverTls(request: Request, response: Response, next: NextFunction): void {
  // `secure` is true for a TLS socket, or for `X-Forwarded-Proto: https` from a proxy TRUST_PROXY trusts.
  if (request.secure) response.setHeader('Strict-Transport-Security', HSTS);
  next();
}

class RequestBodyError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

function hasBody(request: Request): boolean {
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && Number(length) > 0);
}

function isJson(contentType: string | undefined): boolean {
  const media = (contentType ?? '').split(';')[0].trim().toLowerCase();
  return media === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(media);
}

/** A route that reads a file as its body: a received document to check against the log (issue 13). */
export const DOCUMENT_UPLOAD_PATH = '/api/documents/verify';
/** The other: a Word document to start a proposal from (`POST /api/submissions/<id>/proposals/import`). */
export const PROPOSAL_IMPORT_PATH = /^\/api\/submissions\/[^/]+\/proposals\/import$/;
/** The media types a document may be sent as. */
export const DOCUMENT_MEDIA_TYPES = [
  'application/octet-stream',
  'application/pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
];
/** A document sent may be this large (a submission with its annex is a few hundred kB). */
export const DOCUMENT_UPLOAD_LIMIT_BYTES = 25 * 1024 * 1024;

/** The paths whose body may be a file (exactly these; every other path takes JSON only). */
export function isDocumentUploadPath(path: string): boolean {
  return path === DOCUMENT_UPLOAD_PATH || PROPOSAL_IMPORT_PATH.test(path);
}

function isDocumentUpload(request: Request): boolean {
  const media = (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  return isDocumentUploadPath(request.path) && DOCUMENT_MEDIA_TYPES.includes(media);
}

/** Reads a document body as a Buffer on the upload paths only. */
function documentBodies() {
  const raw = expressRaw({ type: DOCUMENT_MEDIA_TYPES, limit: DOCUMENT_UPLOAD_LIMIT_BYTES });
  return (request: Request, response: Response, next: NextFunction): void => (isDocumentUploadPath(request.path) ? raw(request, response, next) : next());
}

/** The API reads JSON only (but for a document sent to be verified or imported): any other body is refused (415) before anything parses it. */
function jsonBodiesOnly(request: Request, _response: Response, next: NextFunction): void {
  if (!hasBody(request) || isJson(request.headers['content-type']) || isDocumentUpload(request)) return next();
  next(
    new RequestBodyError(
      'media.unsupported',
      `Request bodies must be JSON (Content-Type: application/json), not ${request.headers['content-type'] ?? 'untyped'}`,
    ),
  );
}

function boundedNesting(maxDepth: number) {
  return (request: Request, _response: Response, next: NextFunction): void => {
    if (nestingExceeds(request.body, maxDepth)) {
      return next(new RequestBodyError('entity.too.deep', `The request body nests objects or arrays deeper than ${maxDepth} levels`));
    }
    if (containsUnstorableText(request.body)) {
      return next(new RequestBodyError('text.unstorable', 'The request body holds a NUL character or an unpaired UTF-16 surrogate'));
    }
    next();
  };
}

function decodedPath(request: Request): string {
  try {
    return decodeURIComponent(request.path);
  } catch {
    return request.path; // malformed escapes: the router answers 400 for those
  }
}

/** The same for the path and the query string, which reach SQL as parameters. */
function storableUrl(request: Request, _response: Response, next: NextFunction): void {
  if (hasUnstorableText(decodedPath(request)) || containsUnstorableText(request.query)) {
    return next(new RequestBodyError('text.unstorable', 'The URL holds a NUL character or an unpaired UTF-16 surrogate'));
  }
  next();
}

/**
 * Everything the HTTP server does before a request reaches a controller: whom to believe about the
 * client's address and TLS, the security headers, and the limits on request bodies (size → 413,
 * malformed → 400, nesting → 400, not JSON → 415; the exception filter writes the answers). Call
 * it first, before routes, Swagger or static files are registered.
 */
export function applyHttpHardening(app: INestApplication, config: ConcordConfig): void {
  const express = app as NestExpressApplication;
  express.set('trust proxy', config.trustProxy);
  express.disable('x-powered-by');
  express.use(securityHeaders());
  express.use(hstsOverTls);
  express.use(storableUrl);
  express.use(jsonBodiesOnly);
  express.use(documentBodies());
  // Registered here, Nest's default JSON parser (100 kB, no depth bound) is not added again.
  express.useBodyParser('json', { limit: config.bodyLimitBytes });
  express.use(boundedNesting(config.jsonMaxDepth));
}
