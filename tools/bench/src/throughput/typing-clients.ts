/**
 * Child process of the bench: two stock y-websocket clients on Node's `ws` (disableBc, so they
 * only talk through the server). The writer replays the trace's keystroke updates into its Y.Doc —
 * its provider sends each as one frame, as an editor would — keeping at most `window` updates
 * unacknowledged; an update is acknowledged when the observer (a second drafter) has applied it.
 * Running the clients in their own process leaves the server its own core and event loop.
 */
import { toPlainText } from '@concord/content';
import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { unpackUpdates } from './packed-updates';
import type { FromClients, ToClients } from './client-protocol';

const TYPING = Symbol('typing');
const PROGRESS_EVERY_MS = 1_000;
const STALL_TIMEOUT_MS = 60_000;

let updates: Uint8Array[] = [];

function tell(message: FromClients): void {
  process.send?.(message);
}

function connect(url: string, proposalId: string, token: string): { doc: Y.Doc; provider: WebsocketProvider; synced: Promise<void> } {
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
  return { doc, provider, synced };
}

async function run(request: Extract<ToClients, { kind: 'run' }>): Promise<void> {
  const { count, window, rate } = request;
  const writer = connect(request.url, request.proposalId, request.writerToken);
  const observer = connect(request.url, request.proposalId, request.observerToken);
  let disconnects = 0;
  for (const { provider } of [writer, observer]) {
    provider.on('status', ({ status }: { status: string }) => {
      if (status === 'disconnected') disconnects += 1;
    });
  }
  try {
    await Promise.all([writer.synced, observer.synced]);
    const sentAt = new Float64Array(count);
    const seenAt = new Float64Array(count);
    let sent = 0;
    let acknowledged = 0;
    let lastProgress = performance.now();
    let lastAdvance = performance.now();
    let pacer: NodeJS.Timeout | null = null;
    const cpuBefore = process.cpuUsage();
    const startedAt = performance.now();
    const dueAt = (index: number): number => startedAt + (index * 1000) / rate;

    await new Promise<void>((resolve, reject) => {
      const stallCheck = setInterval(() => {
        if (performance.now() - lastAdvance > STALL_TIMEOUT_MS) {
          clearInterval(stallCheck);
          reject(new Error(`no update acknowledged for ${STALL_TIMEOUT_MS / 1000} s (sent ${sent}, acknowledged ${acknowledged})`));
        }
      }, 1_000);

      const pump = (): void => {
        const now = performance.now();
        while (sent < count && sent - acknowledged < window && (rate === 0 || dueAt(sent) <= now)) {
          sentAt[sent] = rate === 0 ? performance.now() : dueAt(sent);
          Y.applyUpdate(writer.doc, updates[sent], TYPING);
          sent += 1;
        }
        if (rate > 0 && sent < count && sent - acknowledged < window && pacer === null) {
          pacer = setTimeout(() => {
            pacer = null;
            pump();
          }, Math.max(0, dueAt(sent) - performance.now()));
        }
      };

      observer.doc.on('update', (_update: Uint8Array, origin: unknown) => {
        if (origin !== observer.provider || acknowledged >= count) return;
        const now = performance.now();
        seenAt[acknowledged] = now;
        acknowledged += 1;
        lastAdvance = now;
        if (now - lastProgress >= PROGRESS_EVERY_MS) {
          lastProgress = now;
          tell({ kind: 'progress', acknowledged });
        }
        if (acknowledged === count) {
          clearInterval(stallCheck);
          if (pacer) clearTimeout(pacer);
          resolve();
          return;
        }
        pump();
      });
      pump();
    });

    const cpu = process.cpuUsage(cpuBefore);
    const observed = toPlainText(observer.doc);
    tell({
      kind: 'done',
      sentAt,
      seenAt,
      textMatches: observed === request.expectedText && toPlainText(writer.doc) === request.expectedText,
      observedLength: observed.length,
      disconnects,
      cpuMs: (cpu.user + cpu.system) / 1000,
    });
  } finally {
    for (const { doc, provider } of [writer, observer]) {
      provider.destroy();
      doc.destroy();
    }
  }
}

process.on('message', (message: ToClients) => {
  switch (message.kind) {
    case 'load':
      updates = unpackUpdates(message.updates);
      tell({ kind: 'loaded', updates: updates.length });
      return;
    case 'run':
      run(message).catch((error: unknown) => tell({ kind: 'failed', message: error instanceof Error ? error.message : String(error) }));
      return;
    case 'exit':
      process.disconnect?.();
      setImmediate(() => process.exit(0));
      return;
  }
});
