/**
 * Child process of the bench: per session, two stock y-websocket clients on Node's `ws`
 * (disableBc, so they only talk through the server). The writer applies the trace's keystroke
 * updates to its Y.Doc one by one — its provider sends each as one frame, as an editor would —
 * keeping at most `window` unacknowledged; an update is acknowledged when the observer (a second
 * drafter) has applied it. Running the clients in their own process leaves the server its own
 * event loop.
 */
import { toPlainText } from '@concord/content';
import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import type { FromClients, ToClients } from './client-protocol';
import { unpackUpdates } from './packed-updates';

const TYPING = Symbol('typing');
const PROGRESS_EVERY_MS = 1_000;
const STALL_TIMEOUT_MS = 60_000;

interface Client {
  readonly doc: Y.Doc;
  readonly provider: WebsocketProvider;
}

interface Session {
  readonly writer: Client;
  readonly observer: Client;
  /** Updates the observer has applied so far. */
  acknowledged: number;
  disconnects: number;
  /** Called on every acknowledgement while a range is being typed. */
  onAcknowledged: (() => void) | null;
}

let updates: Uint8Array[] = [];
const sessions = new Map<string, Session>();

function tell(message: FromClients): void {
  process.send?.(message);
}

function connect(url: string, proposalId: string, token: string): { client: Client; synced: Promise<void> } {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(url, proposalId, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    params: { token },
    disableBc: true,
  });
  const synced = new Promise<void>((resolve) => {
    if (provider.synced) resolve();
    else provider.once('sync', (isSynced: boolean) => isSynced && resolve());
  });
  return { client: { doc, provider }, synced };
}

async function open(request: Extract<ToClients, { kind: 'open' }>): Promise<void> {
  const writer = connect(request.url, request.proposalId, request.writerToken);
  const observer = connect(request.url, request.proposalId, request.observerToken);
  const session: Session = { writer: writer.client, observer: observer.client, acknowledged: 0, disconnects: 0, onAcknowledged: null };
  for (const { provider } of [session.writer, session.observer]) {
    provider.on('status', ({ status }: { status: string }) => {
      if (status === 'disconnected') session.disconnects += 1;
    });
  }
  session.observer.doc.on('update', (_update: Uint8Array, origin: unknown) => {
    if (origin !== session.observer.provider) return;
    session.acknowledged += 1;
    session.onAcknowledged?.();
  });
  sessions.set(request.session, session);
  await Promise.all([writer.synced, observer.synced]);
  tell({ kind: 'opened', session: request.session });
}

async function type(request: Extract<ToClients, { kind: 'type' }>): Promise<void> {
  const session = sessionOf(request.session);
  const { from, to, window, rate } = request;
  if (session.acknowledged !== from) throw new Error(`session ${request.session} is at ${session.acknowledged}, asked to type from ${from}`);
  const count = to - from;
  const sentAt = new Float64Array(count);
  const seenAt = new Float64Array(count);
  const cpuBefore = process.cpuUsage();
  const startedAt = performance.now();
  const dueAt = (index: number): number => startedAt + (index * 1000) / rate;
  let sent = 0;
  let pacer: NodeJS.Timeout | null = null;
  let lastProgress = startedAt;
  let lastAdvance = startedAt;

  await new Promise<void>((resolve, reject) => {
    const stallCheck = setInterval(() => {
      if (performance.now() - lastAdvance > STALL_TIMEOUT_MS) finish(new Error(`no update acknowledged for ${STALL_TIMEOUT_MS / 1000} s (sent ${sent} of ${count})`));
    }, 1_000);
    const finish = (error?: Error): void => {
      clearInterval(stallCheck);
      if (pacer) clearTimeout(pacer);
      session.onAcknowledged = null;
      if (error) reject(error);
      else resolve();
    };
    const acknowledged = (): number => session.acknowledged - from;
    const pump = (): void => {
      const now = performance.now();
      while (sent < count && sent - acknowledged() < window && (rate === 0 || dueAt(sent) <= now)) {
        sentAt[sent] = rate === 0 ? performance.now() : dueAt(sent);
        Y.applyUpdate(session.writer.doc, updates[from + sent], TYPING);
        sent += 1;
      }
      if (rate > 0 && sent < count && sent - acknowledged() < window && pacer === null) {
        pacer = setTimeout(() => {
          pacer = null;
          pump();
        }, Math.max(0, dueAt(sent) - performance.now()));
      }
    };
    session.onAcknowledged = () => {
      const done = acknowledged();
      if (done > count) return;
      const now = performance.now();
      seenAt[done - 1] = now;
      lastAdvance = now;
      if (now - lastProgress >= PROGRESS_EVERY_MS) {
        lastProgress = now;
        tell({ kind: 'progress', acknowledged: session.acknowledged });
      }
      if (done === count) finish();
      else pump();
    };
    pump();
  });
  const cpu = process.cpuUsage(cpuBefore);
  tell({ kind: 'typed', sentAt, seenAt, cpuMs: (cpu.user + cpu.system) / 1000 });
}

function close(request: Extract<ToClients, { kind: 'close' }>): void {
  const session = sessionOf(request.session);
  const observed = toPlainText(session.observer.doc);
  const written = toPlainText(session.writer.doc);
  const disconnects = session.disconnects;
  for (const { doc, provider } of [session.writer, session.observer]) {
    provider.destroy();
    doc.destroy();
  }
  sessions.delete(request.session);
  tell({ kind: 'closed', textMatches: observed === request.expectedText && written === request.expectedText, observedLength: observed.length, disconnects });
}

function sessionOf(id: string): Session {
  const session = sessions.get(id);
  if (!session) throw new Error(`no session ${id}`);
  return session;
}

function fail(error: unknown): void {
  tell({ kind: 'failed', message: error instanceof Error ? error.message : String(error) });
}

process.on('message', (message: ToClients) => {
  try {
    switch (message.kind) {
      case 'load':
        updates = unpackUpdates(message.updates);
        tell({ kind: 'loaded', updates: updates.length });
        return;
      case 'open':
        open(message).catch(fail);
        return;
      case 'type':
        type(message).catch(fail);
        return;
      case 'close':
        close(message);
        return;
      case 'exit':
        process.disconnect?.();
        setImmediate(() => process.exit(0));
        return;
    }
  } catch (error) {
    fail(error);
  }
});
