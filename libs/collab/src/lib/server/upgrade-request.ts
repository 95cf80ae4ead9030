import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

/** What the upgrade URL names: the proposal and the credential (never logged). */
export interface CollabTarget {
  /** Null when the path is under the prefix but names no valid proposal id. */
  readonly proposalId: string | null;
  /** The value of the credential parameter (`token` by default, `ticket` in the API). */
  readonly token: string | null;
}

const PROPOSAL_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

/**
 * Reads `/collab/<proposalId>?ticket=…` (or another credential parameter; the stock WebsocketProvider joins the server URL and the
 * room name with a slash and sends `params` as the query). Returns null when the path is not ours.
 */
export function parseCollabTarget(url: string | undefined, pathPrefix: string, credentialParam = 'token'): CollabTarget | null {
  let parsed: URL;
  try {
    parsed = new URL(url ?? '/', 'http://collab.invalid');
  } catch {
    return null;
  }
  const { pathname } = parsed;
  if (pathname !== pathPrefix && !pathname.startsWith(`${pathPrefix}/`)) return null;
  const token = parsed.searchParams.get(credentialParam);
  const rest = pathname.slice(pathPrefix.length + 1);
  let proposalId: string | null = null;
  if (rest.length > 0 && !rest.includes('/')) {
    try {
      const decoded = decodeURIComponent(rest);
      proposalId = PROPOSAL_ID.test(decoded) ? decoded : null;
    } catch {
      proposalId = null;
    }
  }
  return { proposalId, token: token && token.length > 0 ? token : null };
}

/**
 * Browsers always send Origin on a WebSocket handshake; other clients (Node's ws, tools) may not,
 * and gain nothing from forging it, so a missing Origin is allowed. A present one must name this
 * host (same origin) or be listed.
 */
export function isOriginAllowed(request: IncomingMessage, allowedOrigins: readonly string[]): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  if (allowedOrigins.includes('*') || allowedOrigins.includes(origin)) return true;
  const host = request.headers.host;
  if (!host) return false;
  try {
    return new URL(origin).host.toLowerCase() === host.toLowerCase();
  } catch {
    return false;
  }
}

const STATUS_TEXT: Record<number, string> = {
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** Answers the upgrade with a plain HTTP status and closes the socket: no WebSocket, no document byte. */
export function refuseUpgrade(socket: Duplex, status: number, message: string): void {
  if (socket.destroyed) return;
  const body = JSON.stringify({ statusCode: status, error: STATUS_TEXT[status] ?? 'Error', message });
  const response =
    `HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Error'}\r\n` +
    'Connection: close\r\n' +
    'Content-Type: application/json\r\n' +
    `Content-Length: ${Buffer.byteLength(body)}\r\n` +
    '\r\n' +
    body;
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  socket.once('finish', () => socket.destroy());
  socket.end(response);
}
