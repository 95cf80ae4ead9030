/**
 * How the load benchmark's clients connect: a stock y-websocket `WebsocketProvider` on Node `ws`
 * (disableBc) with a `recordedDocument()` as the web editor's; for Concord a fresh single-use
 * collab ticket (POST /api/collab/tickets) before every (re)connect, as the web app does.
 */
import { recordedDocument } from '@concord/content';
import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import type * as Y from 'yjs';
import type { Credential } from './load-protocol';

export const SYNC_TIMEOUT_MS = 60_000;

export interface Client {
  readonly doc: Y.Doc;
  readonly provider: WebsocketProvider;
  readonly synced: Promise<void>;
}

export async function ticket(credential: Extract<Credential, { kind: 'ticket' }>, proposalId: string): Promise<string> {
  const response = await fetch(`${credential.httpBase}/api/collab/tickets`, {
    method: 'POST',
    headers: { authorization: `Bearer ${credential.accessToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ proposalId }),
  });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`POST /api/collab/tickets answered ${response.status}: ${text.slice(0, 200)}`);
  return (JSON.parse(text) as { ticket: string }).ticket;
}

/** A stock provider; for Concord a fresh ticket before every (re)connect, as the web app does. */
export function connect(url: string, proposalId: string, credential: Credential, onDisconnect: () => void = () => undefined): Client {
  const doc = recordedDocument();
  const provider = new WebsocketProvider(url, proposalId, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    connect: credential.kind === 'token',
    params: credential.kind === 'token' ? { token: credential.token } : {},
    disableBc: true,
    maxBackoffTime: 500,
  });
  provider.on('status', ({ status }: { status: string }) => {
    if (status === 'disconnected') onDisconnect();
  });
  if (credential.kind === 'ticket') {
    let destroyed = false;
    const destroy = provider.destroy.bind(provider);
    provider.destroy = () => {
      destroyed = true;
      destroy();
    };
    const reconnect = async (): Promise<void> => {
      for (let attempt = 0; !destroyed; attempt++) {
        try {
          const fresh = await ticket(credential, proposalId);
          if (destroyed) return;
          provider.params = { ...provider.params, ticket: fresh };
          provider.connect();
          return;
        } catch (error) {
          if (/answered 4\d\d/.test(String(error)) || attempt > 20) {
            process.stderr.write(`[bench clients] no ticket for ${proposalId}: ${String(error)}\n`);
            return;
          }
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
      }
    };
    provider.on('connection-close', (event: CloseEvent | null) => {
      const retry = provider.shouldConnect && (event === null || provider.shouldReconnect(event, provider));
      if (!retry) return;
      provider.shouldConnect = false;
      void reconnect();
    });
    void reconnect();
  }
  const synced = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`client on ${proposalId} not synced within ${SYNC_TIMEOUT_MS / 1000} s`)), SYNC_TIMEOUT_MS);
    const done = (): void => {
      clearTimeout(timer);
      resolve();
    };
    if (provider.synced) done();
    else provider.on('sync', (isSynced: boolean) => isSynced && done());
  });
  return { doc, provider, synced };
}
