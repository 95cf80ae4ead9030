import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventStore, RecordedEvent, SqliteEventStore, StreamNotFoundError } from '@concord/event-store';
import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { contentStreamOf, snapshotStreamOf } from '../lib/persistence/content-events';
import {
  Authorization,
  CollabServer,
  CollabServerOptions,
  createCollabServer,
} from '../lib/server/collab-server';
import type { CollabUser } from '../lib/server/collab-connection';

/** Test users; the token is what a client sends, the userId what the server records. */
export const users = {
  drafter1: { token: 'token-drafter1', userId: 'user-drafter1', name: 'Drafter One' },
  drafter2: { token: 'token-drafter2', userId: 'user-drafter2', name: 'Drafter Two' },
  chair: { token: 'token-chair', userId: 'user-chair', name: 'Chair' },
  outsider: { token: 'token-outsider', userId: 'user-outsider', name: 'Outsider' },
} as const;
export type TestUser = (typeof users)[keyof typeof users];

/** Drafters write, the chair reads, the outsider has no role; proposals named `missing-*` do not exist. */
export async function testAuthorize(user: CollabUser, proposalId: string): Promise<Authorization> {
  if (proposalId.startsWith('missing')) return 'not-found';
  if (user.userId === users.chair.userId) return 'read-only';
  if (user.userId === users.outsider.userId) return 'forbidden';
  return 'read-write';
}

export async function testAuthenticate(token: string): Promise<CollabUser | null> {
  const user = Object.values(users).find((candidate) => candidate.token === token);
  return user ? { userId: user.userId, name: user.name } : null;
}

export interface TestServer {
  readonly collab: CollabServer;
  readonly http: Server;
  readonly port: number;
  /** What a WebsocketProvider takes as its server URL. */
  readonly url: string;
  readonly store: EventStore;
}

export interface TestClient {
  readonly doc: Y.Doc;
  readonly provider: WebsocketProvider;
  readonly synced: Promise<void>;
  /** The XmlFragment `content` (the Tiptap field). */
  readonly content: Y.XmlFragment;
}

export interface LogLine {
  level: 'info' | 'warn' | 'error';
  fields: Record<string, unknown>;
  message?: string;
}

/**
 * Real parts for collaboration tests: an HTTP server on port 0 with the collab server attached, a
 * SQLite store on a temp file, stock y-websocket clients. Everything made here is torn down after
 * each test (in reverse order), so Jest exits on its own.
 */
export function useCollabHarness() {
  const teardowns: Array<() => Promise<void> | void> = [];

  afterEach(async () => {
    while (teardowns.length > 0) {
      const teardown = teardowns.pop() as () => Promise<void> | void;
      await teardown();
    }
  });

  function newStore(): EventStore {
    const directory = mkdtempSync(join(tmpdir(), 'concord-collab-'));
    const store = new SqliteEventStore(join(directory, 'events.db'));
    teardowns.push(async () => {
      await store.close();
      rmSync(directory, { recursive: true, force: true });
    });
    return store;
  }

  async function startServer(
    options: Partial<CollabServerOptions> & { store?: EventStore } = {},
  ): Promise<TestServer & { logs: LogLine[] }> {
    const store = options.store ?? newStore();
    const logs: LogLine[] = [];
    const record = (level: LogLine['level']) => (fields: Record<string, unknown>, message?: string) => {
      logs.push({ level, fields, message });
    };
    const collab = createCollabServer({
      authenticate: testAuthenticate,
      authorize: testAuthorize,
      logger: { info: record('info'), warn: record('warn'), error: record('error') },
      ...options,
      store,
    });
    const http = createServer((_request, response) => {
      response.statusCode = 404;
      response.end();
    });
    collab.attach(http);
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const port = (http.address() as AddressInfo).port;
    teardowns.push(async () => {
      await collab.close();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    });
    await collab.ready;
    return { collab, http, port, url: `ws://127.0.0.1:${port}/collab`, store, logs };
  }

  function connect(server: TestServer, proposalId: string, user: TestUser, doc = new Y.Doc()): TestClient {
    const provider = new WebsocketProvider(server.url, proposalId, doc, {
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      params: { token: user.token },
      // Same-process providers would otherwise sync through BroadcastChannel, bypassing the server.
      disableBc: true,
      maxBackoffTime: 200,
    });
    const synced = new Promise<void>((resolve) => {
      if (provider.synced) resolve();
      else provider.once('sync', (isSynced: boolean) => isSynced && resolve());
    });
    teardowns.push(() => {
      provider.destroy();
      doc.destroy();
    });
    return { doc, provider, synced, content: doc.getXmlFragment('content') };
  }

  /** A raw ws socket to the endpoint: resolves when open, rejects with the HTTP status if refused. */
  function rawSocket(
    server: TestServer,
    path: string,
    headers: Record<string, string> = {},
  ): Promise<{ socket: WebSocket; messages: Uint8Array[] }> {
    const socket = new WebSocket(`ws://127.0.0.1:${server.port}${path}`, { headers });
    const messages: Uint8Array[] = [];
    socket.on('message', (data) => messages.push(new Uint8Array(data as Buffer)));
    socket.on('error', () => undefined);
    teardowns.push(() => {
      if (socket.readyState !== WebSocket.CLOSED) socket.terminate();
    });
    return new Promise((resolve, reject) => {
      socket.once('open', () => resolve({ socket, messages }));
      socket.once('unexpected-response', (_request, response: IncomingMessage) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk.toString()));
        response.on('end', () => reject(new UpgradeRefusedInTest(response.statusCode ?? 0, body)));
      });
      socket.once('close', (code) => reject(new UpgradeRefusedInTest(0, `closed ${code}`)));
    });
  }

  return { newStore, startServer, connect, rawSocket, defer: (teardown: () => Promise<void> | void) => teardowns.push(teardown) };
}

export class UpgradeRefusedInTest extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
  ) {
    super(`upgrade refused with ${status}: ${body}`);
  }
}

/** Polls until `check` stops throwing / returns truthy. */
export async function eventually<T>(
  check: () => T | Promise<T>,
  timeoutMs = 5_000,
  what = 'condition',
): Promise<Exclude<T, false | null | undefined>> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const result = await check();
      if (result !== false && result !== undefined && result !== null) return result as Exclude<T, false | null | undefined>;
      lastError = new Error(`${what} not met`);
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) throw lastError;
    await sleep(10);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function contentEvents(store: EventStore, proposalId: string): Promise<RecordedEvent[]> {
  return streamEvents(store, contentStreamOf(proposalId));
}

/** The proposal's content snapshots (its snapshot stream). */
export function snapshotEvents(store: EventStore, proposalId: string): Promise<RecordedEvent[]> {
  return streamEvents(store, snapshotStreamOf(proposalId));
}

async function streamEvents(store: EventStore, stream: string): Promise<RecordedEvent[]> {
  try {
    return await store.readStream(stream);
  } catch (error) {
    if (error instanceof StreamNotFoundError) return [];
    throw error;
  }
}

/**
 * Appends a paragraph holding `text` to the end of the fragment, in one transaction, with its stable
 * block id as the web editor writes it (`id: false`: as a plain Yjs client writes it, without one).
 */
export function appendParagraph(content: Y.XmlFragment, text: string, { id = true }: { id?: boolean } = {}): void {
  const paragraph = new Y.XmlElement('paragraph');
  if (id) paragraph.setAttribute('id', globalThis.crypto.randomUUID());
  paragraph.insert(0, [new Y.XmlText(text)]);
  content.insert(content.length, [paragraph]);
}

export function textOf(content: Y.XmlFragment): string {
  return content
    .toArray()
    .map((node) => (node instanceof Y.XmlElement ? node.toArray().map((child) => child.toString()).join('') : node.toString()))
    .join('\n');
}
