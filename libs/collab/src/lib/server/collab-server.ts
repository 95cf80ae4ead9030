import { Mutex } from 'async-mutex';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { Duplex } from 'node:stream';
import { EventStoreUnavailableError, type EventStore } from '@concord/event-store';
import { WebSocketServer, type WebSocket } from 'ws';
import { AwarenessRelay, createRedisAwarenessRelay, nodeLocalAwarenessRelay } from '../cluster/awareness-relay';
import { followContentStreams } from '../cluster/content-follower';
import { DocumentRegistry } from '../document-registry';
import { LiveDocument } from '../live-document';
import { CollabLogger, describeError, silentLogger } from '../logger';
import { ContentReader } from '../persistence/content-reader';
import { ContentWriter } from '../persistence/content-writer';
import { createProposalContent, ProposalContent } from '../proposal-content';
import { reportActivity } from './activity-report';
import type { CollabServerOptions } from './collab-server-options';
import { CloseCode } from './close-codes';
import { CollabConnection } from './collab-connection';
import type { Access, CollabUser } from './collab-user';
import { type AwarenessRateLimits, connectionLimitsFrom } from './connection-limits';
import { type Authorization, reauthorizeConnections, type ReauthorizeFilter, type ReauthorizeOptions, type ReauthorizeOutcome } from './reauthorization';
import { authenticateAndAuthorize, REFUSAL_CLOSE_CODES, UpgradeRefused, withTimeout } from './upgrade-handshake';
import { isOriginAllowed, parseCollabTarget, refuseUpgrade } from './upgrade-request';

export type { CollabServerOptions } from './collab-server-options';
export type { Authorization, ReauthorizeFilter, ReauthorizeOptions, ReauthorizeOutcome } from './reauthorization';

export interface CollabServer {
  /**
   * Takes an HTTP upgrade if its path is under the prefix (returns true), otherwise leaves the
   * socket alone (returns false) for another handler.
   */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  /** Serves the endpoint on this HTTP server's 'upgrade' event (until close). */
  attach(server: HttpServer): void;
  /** Seeding, restore, history and diff for the REST side; writes share the WebSocket edit path. */
  readonly content: ProposalContent;
  readonly documents: CollabDocumentsView;
  readonly nodeId: string;
  /** Resolves once the server follows the store (upgrades wait for it anyway). */
  readonly ready: Promise<void>;
  /**
   * Decides the matching open connections of this node again (access follows the log): a writer
   * that may now only read is told `read-only:` and stays open; one with no access is told and
   * closed (4403, 4404, 4401); a reader that may now write is closed with 4500 so that its client
   * reconnects and is admitted read-write.
   */
  reauthorize(filter: ReauthorizeFilter, options?: ReauthorizeOptions): Promise<ReauthorizeOutcome>;
  /** Closes every socket, settles pending appends and checkpoints, destroys documents, stops timers. */
  close(): Promise<void>;
}

/** Read-only view of what this node hosts (health, metrics, tests). */
export interface CollabDocumentsView {
  readonly hosted: string[];
  connectionCount(proposalId?: string): number;
  contentRevision(proposalId: string): number | null;
}

export function createCollabServer(options: CollabServerOptions): CollabServer {
  const logger = options.logger ?? silentLogger;
  const nodeId = options.nodeId ?? randomUUID();
  const pathPrefix = (options.pathPrefix ?? '/collab').replace(/\/+$/, '');
  const credentialParam = options.credentialParam ?? 'token';
  const maxUpdateBytes = options.maxUpdateBytes ?? 1024 * 1024;
  const allowedOrigins = options.allowedOrigins ?? [];
  const allowedRootTypes = options.allowedRootTypes === null ? undefined : (options.allowedRootTypes ?? ['content']);
  const handshakeTimeoutMs = options.handshakeTimeoutMs ?? 10_000;
  const limits = connectionLimitsFrom(options, maxUpdateBytes, allowedRootTypes);

  const reader = new ContentReader(options.store, (proposalId) =>
    logger.warn({ proposalId }, 'content snapshots in the old layout (inside the content stream) ignored: migrate with npm run export + npm run import'),
  );
  const writer = new ContentWriter(options.store);
  const relay: AwarenessRelay = options.redisUrl
    ? createRedisAwarenessRelay({ url: options.redisUrl, nodeId, logger })
    : nodeLocalAwarenessRelay;
  const snapshotQueue = new Mutex();
  const registry = new DocumentRegistry({
    idleEvictMs: options.idleEvictMs ?? 30_000,
    logger,
    load: (proposalId) =>
      LiveDocument.load(proposalId, {
        reader,
        writer,
        relay,
        logger,
        snapshotEvery: Math.max(1, options.checkpointEvery ?? 500),
        snapshotQueue,
        maxAwarenessClientsPerPeer: 16,
        maxAwarenessStateBytes: options.maxAwarenessStateBytes ?? 4 * 1024,
        maxDocumentBytes: options.maxDocumentBytes,
      }),
  });
  const follower = followContentStreams({
    store: options.store,
    logger,
    deliver: (proposalId, event) => registry.find(proposalId)?.onStoreEvent(event),
  });
  follower.ready.catch((error) => logger.error({ nodeId, ...describeError(error) }, 'could not follow the content streams'));

  const maxFrameBytes = Math.max(options.maxFrameBytes ?? 16 * 1024 * 1024, maxUpdateBytes + 1024);
  const wss = new WebSocketServer({ noServer: true, maxPayload: maxFrameBytes, perMessageDeflate: false });
  wss.on('error', (error) => logger.error({ nodeId, ...describeError(error) }, 'websocket server error'));
  const connections = new Set<CollabConnection>();
  const admitting = new Set<Promise<void>>();
  const attachedTo = new Set<HttpServer>();
  let closing = false;

  const heartbeat = setInterval(() => {
    for (const connection of connections) connection.heartbeat();
  }, options.pingIntervalMs ?? 30_000);
  heartbeat.unref();

  const refusalMode = options.refusal ?? 'http';

  function refuse(request: IncomingMessage, socket: Duplex, head: Buffer, status: number, message: string): void {
    const closeCode = REFUSAL_CLOSE_CODES[status];
    if (refusalMode === 'close-code' && closeCode !== undefined && !closing && !socket.destroyed) {
      wss.handleUpgrade(request, socket, head, (ws) => {
        ws.on('error', () => undefined);
        ws.close(closeCode, message);
      });
      return;
    }
    refuseUpgrade(socket, status, message);
  }

  async function admit(request: IncomingMessage, socket: Duplex, head: Buffer, target: { proposalId: string | null; token: string | null }): Promise<void> {
    const path = pathPrefix + '/' + (target.proposalId ?? '?');
    let document: LiveDocument | null = null;
    try {
      if (closing) throw new UpgradeRefused(503, 'server shutting down');
      if (!isOriginAllowed(request, allowedOrigins)) throw new UpgradeRefused(403, 'origin not allowed');
      if (!target.token) throw new UpgradeRefused(401, `missing ${credentialParam}`);
      if (!target.proposalId) throw new UpgradeRefused(404, 'no such proposal');
      const pending = handshake(target.token, target.proposalId);
      const { user, access, loaded } = await withTimeout(pending, handshakeTimeoutMs, (late) =>
        registry.release(late.loaded),
      );
      document = loaded;
      if (closing) throw new UpgradeRefused(503, 'server shutting down');
      if (socket.destroyed) return;
      let upgraded = false;
      const held = document;
      socket.removeListener('error', onEarlySocketError);
      wss.handleUpgrade(request, socket, head, (ws: WebSocket) => {
        upgraded = true;
        const connection = new CollabConnection(randomUUID(), ws, user, access, held, limits, logger, (closed) => {
          connections.delete(closed);
          registry.release(held);
        });
        connections.add(connection);
        connection.start();
        if (options.onActivity) reportActivity(ws, user, options.onActivity);
        logger.info({ proposalId: held.proposalId, userId: user.userId, access, connectionId: connection.connectionId }, 'collab connection opened');
      });
      // ws refuses a bad handshake synchronously, without calling back.
      if (!upgraded) registry.release(document);
      document = null;
    } catch (error) {
      if (document) registry.release(document);
      if (error instanceof UpgradeRefused) {
        if (error.status >= 500) logger.warn({ path, status: error.status, reason: error.message }, 'collab upgrade refused');
        else logger.info({ path, status: error.status, reason: error.message }, 'collab upgrade refused');
        refuse(request, socket, head, error.status, error.message);
        return;
      }
      const status = error instanceof EventStoreUnavailableError ? 503 : 500;
      logger.error({ path, ...describeError(error) }, 'collab upgrade failed');
      refuseUpgrade(socket, status, 'could not open the document');
    }
  }

  /** Authenticates, authorizes, then loads (and pins) the document, in that order. */
  async function handshake(token: string, proposalId: string): Promise<{ user: CollabUser; access: Access; loaded: LiveDocument }> {
    const { user, access } = await authenticateAndAuthorize(options, credentialParam, token, proposalId);
    await follower.ready;
    const loaded = await registry.acquire(proposalId);
    return { user, access, loaded };
  }

  function onEarlySocketError(error: Error): void {
    logger.info({ ...describeError(error) }, 'collab socket failed during the handshake');
  }

  function handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const target = parseCollabTarget(request.url, pathPrefix, credentialParam);
    if (!target) return false;
    socket.on('error', onEarlySocketError);
    const admission = admit(request, socket, head, target).catch((error) => {
      logger.error({ ...describeError(error) }, 'collab upgrade crashed');
      socket.destroy();
    });
    admitting.add(admission);
    void admission.finally(() => admitting.delete(admission));
    return true;
  }

  function onServerUpgrade(this: HttpServer, request: IncomingMessage, socket: Duplex, head: Buffer): void {
    if (handleUpgrade(request, socket, head)) return;
    // Nobody else listens for upgrades on this server: answer rather than leave the socket hanging.
    if (this.listenerCount('upgrade') === 1) refuseUpgrade(socket, 404, 'no WebSocket endpoint here');
  }

  const content = createProposalContent({ registry, reader, allowedRootTypes });

  function authorizeWithin(user: CollabUser, proposalId: string): Promise<Authorization> {
    return withTimeout(options.authorize(user, proposalId), handshakeTimeoutMs, () => undefined);
  }

  function reauthorize(filter: ReauthorizeFilter, reauthorizeOptions: ReauthorizeOptions = {}): Promise<ReauthorizeOutcome> {
    return reauthorizeConnections(connections, filter, reauthorizeOptions, authorizeWithin, logger);
  }

  return {
    handleUpgrade,
    attach(server) {
      if (attachedTo.has(server)) return;
      attachedTo.add(server);
      server.on('upgrade', onServerUpgrade);
    },
    content,
    nodeId,
    ready: follower.ready,
    reauthorize,
    documents: {
      get hosted() {
        return registry.proposalIds;
      },
      connectionCount(proposalId) {
        let count = 0;
        for (const connection of connections) if (!proposalId || connection.proposalId === proposalId) count += 1;
        return count;
      },
      contentRevision(proposalId) {
        return registry.find(proposalId)?.contentRevision ?? null;
      },
    },
    async close() {
      if (closing) return;
      closing = true;
      clearInterval(heartbeat);
      for (const server of attachedTo) server.off('upgrade', onServerUpgrade);
      attachedTo.clear();
      await Promise.allSettled([...admitting]);
      const sockets = [...wss.clients];
      for (const connection of connections) connection.disconnect(CloseCode.goingAway, 'server shutting down');
      await waitForSockets(sockets, 1_000);
      await registry.close();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await follower.close();
      await relay.close();
    },
  };
}

async function waitForSockets(sockets: WebSocket[], graceMs: number): Promise<void> {
  const open = sockets.filter((socket) => socket.readyState !== socket.CLOSED);
  if (open.length === 0) return;
  await Promise.race([
    Promise.all(open.map((socket) => new Promise<void>((resolve) => socket.once('close', () => resolve())))),
    new Promise<void>((resolve) => setTimeout(resolve, graceMs).unref()),
  ]);
  for (const socket of open) if (socket.readyState !== socket.CLOSED) socket.terminate();
}
