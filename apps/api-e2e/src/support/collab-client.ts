/**
 * Stock y-websocket clients (WebsocketProvider + Node `ws`) against a running API, and a raw socket
 * for refusal checks. Everything opened here is destroyed after the spec file (or earlier via close()).
 */
import type { IncomingMessage } from 'node:http';
import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import { recordedDocument } from '@concord/content';
import { onTeardown } from './api-process';

export interface CollabClient {
  readonly doc: Y.Doc;
  readonly provider: WebsocketProvider;
  /** Resolves after the first sync with the server. */
  readonly synced: Promise<void>;
  /** The Y.XmlFragment `content` (Tiptap's Collaboration field). */
  readonly content: Y.XmlFragment;
  /** Close codes the socket was closed with, in order. */
  readonly closeCodes: number[];
  close(): void;
}

export interface ConnectOptions {
  /** Reconnect after a close (default false, so a refusal is not retried forever). */
  reconnect?: boolean;
  doc?: Y.Doc;
  syncTimeoutMs?: number;
  /** The access token to ask tickets with at each connect (default: the one given). */
  accessTokenOf?: () => string;
}

/** `ws://host:port/collab` → `http://host:port` (where POST /api/collab/tickets lives). */
export function httpBaseOf(collabUrl: string): string {
  const url = new URL(collabUrl);
  return `${url.protocol === 'wss:' ? 'https:' : 'http:'}//${url.host}`;
}

/** A single-use socket ticket for this access token (POST /api/collab/tickets). */
export async function fetchTicket(collabUrl: string, accessToken: string, proposalId?: string): Promise<string> {
  const response = await fetch(`${httpBaseOf(collabUrl)}/api/collab/tickets`, {
    method: 'POST',
    headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(proposalId ? { proposalId } : {}),
  });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`POST /api/collab/tickets answered ${response.status}: ${text}`);
  return (JSON.parse(text) as { ticket: string }).ticket;
}

/**
 * Gives a stock WebsocketProvider a fresh ticket before every (re)connect, as the web app does:
 * the provider is created with `connect: false`; after a close that it would retry, the scheduled
 * reconnect is held (`shouldConnect = false`) until a new ticket is in `provider.params`.
 */
export function connectWithTickets(provider: WebsocketProvider, nextTicket: () => Promise<string>, onTicketError: (error: unknown) => void): void {
  let destroyed = false;
  const destroy = provider.destroy.bind(provider);
  provider.destroy = () => {
    destroyed = true;
    destroy();
  };
  let failures = 0;
  const connect = async (): Promise<void> => {
    try {
      const ticket = await nextTicket();
      if (destroyed) return;
      failures = 0;
      provider.params = { ...provider.params, ticket };
      provider.connect();
    } catch (error) {
      // Server unreachable (restarting, crashed): ask again with back-off; a refusal is final.
      if (destroyed) return;
      if (/answered 4\d\d/.test(String(error))) return onTicketError(error);
      failures += 1;
      setTimeout(() => void connect(), Math.min(100 * 2 ** failures, 1_000));
    }
  };
  provider.on('connection-close', (event: CloseEvent | null) => {
    const retry = provider.shouldConnect && (event === null || provider.shouldReconnect(event, provider));
    if (!retry) return;
    provider.shouldConnect = false;
    void connect();
  });
  void connect();
}

/** Opens `<collabUrl>/<proposalId>?ticket=…` with the stock provider, a fresh ticket per connect, as the web app does. */
export function connectClient(collabUrl: string, proposalId: string, accessToken: string, options: ConnectOptions = {}): CollabClient {
  // A Concord client's document, as the web editor's: it never cleans up formatting on its own.
  const doc = options.doc ?? recordedDocument();
  const closeCodes: number[] = [];
  const provider = new WebsocketProvider(collabUrl, proposalId, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    connect: false,
    // Same-process providers would otherwise sync through BroadcastChannel, bypassing the server.
    disableBc: true,
    maxBackoffTime: 500,
  });
  provider.on('connection-close', (event: { code?: number } | null) => {
    if (event && typeof event.code === 'number') closeCodes.push(event.code);
    if (!options.reconnect) provider.shouldConnect = false;
  });
  connectWithTickets(provider, () => fetchTicket(collabUrl, options.accessTokenOf?.() ?? accessToken, proposalId), (error) => {
    closeCodes.push(0);
    process.stderr.write(`[api-e2e] no ticket for ${proposalId}: ${String(error)}\n`);
  });
  let syncTimer: NodeJS.Timeout | undefined;
  const synced = new Promise<void>((resolve, reject) => {
    const timer = (syncTimer = setTimeout(
      () => reject(new Error(`client on ${proposalId} not synced within ${options.syncTimeoutMs ?? 15_000} ms (closes: ${closeCodes})`)),
      options.syncTimeoutMs ?? 15_000,
    ));
    const done = () => {
      clearTimeout(timer);
      resolve();
    };
    if (provider.synced) done();
    else provider.on('sync', (isSynced: boolean) => isSynced && done());
  });
  synced.catch(() => undefined);
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    clearTimeout(syncTimer);
    provider.destroy();
    doc.destroy();
  };
  onTeardown(close);
  return { doc, provider, synced, content: doc.getXmlFragment('content'), closeCodes, close };
}

/** Plain text of the `content` fragment: paragraphs' text joined with newlines (order of the tree). */
export function fragmentText(fragment: Y.XmlFragment): string {
  const parts: string[] = [];
  const walk = (node: Y.XmlElement | Y.XmlText | Y.XmlFragment): string => {
    if (node instanceof Y.XmlText) return node.toString().replace(/<[^>]*>/g, '');
    return node
      .toArray()
      .map((child) => walk(child as Y.XmlElement | Y.XmlText))
      .join('');
  };
  for (const child of fragment.toArray()) parts.push(walk(child as Y.XmlElement | Y.XmlText));
  return parts.join('\n');
}

/** The first Y.XmlText inside the first paragraph of the fragment. */
export function firstParagraphText(fragment: Y.XmlFragment): Y.XmlText {
  const paragraph = fragment.toArray().find((node): node is Y.XmlElement => node instanceof Y.XmlElement);
  if (!paragraph) throw new Error('the document has no paragraph');
  const text = paragraph.toArray().find((node): node is Y.XmlText => node instanceof Y.XmlText);
  if (!text) throw new Error('the first paragraph has no text node');
  return text;
}

/** The Y.XmlText of the first `paragraph` element (a demo proposal starts with a heading). */
export function bodyParagraph(fragment: Y.XmlFragment): Y.XmlText {
  const paragraph = fragment.toArray().find((node): node is Y.XmlElement => node instanceof Y.XmlElement && node.nodeName === 'paragraph');
  const text = paragraph?.toArray().find((node): node is Y.XmlText => node instanceof Y.XmlText);
  if (!text) throw new Error('no paragraph with text');
  return text;
}

export interface RawSocketResult {
  /** HTTP status when the upgrade was refused, else 101. */
  status: number;
  /** Close code when the socket was accepted and then closed (null if it stayed open). */
  closeCode: number | null;
  /** Bytes received as WebSocket messages. */
  messages: Uint8Array[];
  body: string;
}

/**
 * Opens a raw WebSocket, waits `settleMs` after open (or for the refusal), records what arrived,
 * then closes it.
 */
export function probeSocket(url: string, settleMs = 1_000): Promise<RawSocketResult> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url);
    const messages: Uint8Array[] = [];
    let status = 0;
    let body = '';
    let settled = false;
    const finish = (closeCode: number | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (socket.readyState !== WebSocket.CLOSED) socket.terminate();
      resolve({ status, closeCode, messages, body });
    };
    const timer = setTimeout(() => finish(null), settleMs + 10_000);
    socket.on('error', () => undefined);
    socket.on('message', (data: Buffer) => messages.push(new Uint8Array(data)));
    socket.on('open', () => {
      status = 101;
      setTimeout(() => finish(null), settleMs);
    });
    socket.on('close', (code: number) => finish(code));
    socket.on('unexpected-response', (_request, response: IncomingMessage) => {
      status = response.statusCode ?? 0;
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => finish(null));
      response.on('error', () => finish(null));
    });
  });
}

/** The permission-denied reasons (y-protocols auth messages) the stock client hears from now on. */
export function refusalsOf(client: CollabClient): string[] {
  const refusals: string[] = [];
  client.provider.messageHandlers[2] = (_encoder, decoder) => {
    if (decoding.readVarUint(decoder) === 0) refusals.push(decoding.readVarString(decoder));
  };
  return refusals;
}

/** Inserts a paragraph holding `text` at the top of the document, as a plain Yjs client would. */
export function prependParagraph(client: CollabClient, text: string): void {
  const paragraph = new Y.XmlElement('paragraph');
  client.doc.transact(() => {
    paragraph.insert(0, [new Y.XmlText(text)]);
    client.content.insert(0, [paragraph]);
  });
}
