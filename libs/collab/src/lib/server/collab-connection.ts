import { validateYjsUpdate } from '@concord/content';
import { WebSocket, RawData } from 'ws';
import type { DocumentPeer, LiveDocument } from '../live-document';
import { CollabLogger, describeError } from '../logger';
import { IncomingMessage, parseIncomingFrame } from '../protocol/collab-messages';

export type Access = 'read-write' | 'read-only';

export interface CollabUser {
  readonly userId: string;
  readonly name: string;
}

export interface ConnectionLimits {
  readonly maxUpdateBytes: number;
  readonly maxBufferedBytes: number;
  /** Malformed frames tolerated before the socket is closed with 1003. */
  readonly maxMalformedFrames: number;
  /** Edits of one connection waiting for the store before it is told to back off (1013). */
  readonly maxPendingEdits: number;
  readonly allowedRootTypes: readonly string[] | undefined;
}

/** WebSocket close codes this server uses. */
export const CloseCode = {
  goingAway: 1001,
  unsupportedData: 1003,
  internalError: 1011,
  tryAgainLater: 1013,
} as const;

/** Log the first few occurrences, then one in a hundred: a flood must not flood the logs. */
function worthLogging(count: number): boolean {
  return count <= 3 || count % 100 === 0;
}

/**
 * One WebSocket on one document: reads frames, answers the sync protocol, hands writes to the
 * document's ordered path, relays awareness. It decides nothing about persistence; the document
 * does. What a read-only connection sends that would change the document is dropped and reported;
 * its awareness is relayed (a chair's caret and presence show to drafters).
 */
export class CollabConnection implements DocumentPeer {
  readonly userId: string;
  private alive = true;
  private closed = false;
  private malformedFrames = 0;
  private refusedWrites = 0;
  private refusedAwareness = 0;
  private pendingEdits = 0;

  constructor(
    readonly connectionId: string,
    private readonly socket: WebSocket,
    readonly user: CollabUser,
    readonly access: Access,
    private readonly document: LiveDocument,
    private readonly limits: ConnectionLimits,
    private readonly logger: CollabLogger,
    private readonly onClosed: (connection: CollabConnection) => void,
  ) {
    this.userId = user.userId;
  }

  get proposalId(): string {
    return this.document.proposalId;
  }

  start(): void {
    this.socket.on('message', (data, isBinary) => this.receive(data, isBinary));
    this.socket.on('pong', () => {
      this.alive = true;
    });
    this.socket.on('error', (error) => {
      // ws emits 'close' after 'error'; cleanup happens there.
      this.logger.warn({ ...this.logFields(), ...describeError(error) }, 'collab socket error');
    });
    this.socket.on('close', (code) => this.cleanUp(code));
    this.document.addPeer(this);
  }

  /** Called by the server's heartbeat: a socket that did not answer the previous ping is dead. */
  heartbeat(): void {
    if (this.closed) return;
    if (!this.alive) {
      this.logger.info(this.logFields(), 'collab socket did not answer a ping; terminating');
      this.socket.terminate();
      return;
    }
    this.alive = false;
    try {
      this.socket.ping();
    } catch {
      this.socket.terminate();
    }
  }

  send(message: Uint8Array): void {
    if (this.closed || this.socket.readyState !== WebSocket.OPEN) return;
    this.socket.send(message);
    // ws.send never applies backpressure: a slow reader would grow our memory without bound.
    if (this.socket.bufferedAmount > this.limits.maxBufferedBytes) {
      this.logger.warn(
        { ...this.logFields(), bufferedAmount: this.socket.bufferedAmount },
        'collab client too slow; closing so it resyncs',
      );
      this.disconnect(CloseCode.tryAgainLater, 'too slow; reconnect to resync');
    }
  }

  disconnect(code: number, reason: string): void {
    if (this.closed) return;
    // Stop traffic at once; 'close' finishes the cleanup.
    this.document.removePeer(this);
    try {
      this.socket.close(code, reason);
    } catch {
      this.socket.terminate();
    }
  }

  private receive(data: RawData, isBinary: boolean): void {
    if (this.closed) return;
    this.alive = true;
    if (!isBinary) {
      this.reportMalformed('text frame (the protocol is binary)');
      return;
    }
    // A private copy: ws may hand us a view into a pooled buffer, and yjs/lib0 read through
    // `.buffer`, so a lying length inside the frame must not reach other connections' bytes.
    const frame = copyFrame(data);
    const parsed = parseIncomingFrame(frame);
    if (!parsed.ok) {
      this.reportMalformed(parsed.reason);
      return;
    }
    try {
      this.dispatch(parsed.message);
    } catch (error) {
      this.logger.error({ ...this.logFields(), ...describeError(error) }, 'handling a collab message failed');
    }
  }

  private dispatch(message: IncomingMessage): void {
    switch (message.kind) {
      case 'sync-step-1':
        this.document.answerSyncStep1(this, message.stateVector);
        return;
      case 'sync-step-2':
      case 'sync-update':
        this.receiveUpdate(message.update);
        return;
      case 'awareness': {
        const verdict = this.document.applyAwareness(this, message.update, message.entries);
        if (!verdict.accepted) {
          this.refusedAwareness += 1;
          if (worthLogging(this.refusedAwareness)) {
            this.logger.warn(
              { ...this.logFields(), reason: verdict.reason, count: this.refusedAwareness },
              'awareness update dropped',
            );
          }
        }
        return;
      }
      case 'query-awareness':
        this.document.sendAllAwarenessStates(this);
        return;
    }
  }

  private receiveUpdate(update: Uint8Array): void {
    const validation = validateYjsUpdate(update, {
      maxBytes: this.limits.maxUpdateBytes,
      allowedRootTypes: this.limits.allowedRootTypes,
      doc: this.document.doc, // the schema check then knows the parent of every item (read, not changed)
    });
    if (!validation.ok) {
      this.reportMalformed(`invalid update: ${validation.reason}`);
      return;
    }
    if (this.access === 'read-only') {
      if (!this.document.wouldChange(update)) return; // the usual empty SyncStep2 of a reader
      this.refusedWrites += 1;
      if (worthLogging(this.refusedWrites)) {
        this.logger.warn(
          { ...this.logFields(), bytes: update.length, count: this.refusedWrites },
          'read-only connection sent a change; dropped, not recorded',
        );
      }
      return;
    }
    if (this.pendingEdits >= this.limits.maxPendingEdits) {
      this.logger.warn({ ...this.logFields(), pendingEdits: this.pendingEdits }, 'too many edits waiting for the store');
      this.disconnect(CloseCode.tryAgainLater, 'too many pending edits; reconnect to resync');
      return;
    }
    this.pendingEdits += 1;
    this.document
      .submitEdit({ update, userId: this.userId, kind: 'edit', origin: this })
      .then((result) => {
        if (result.refused) this.reportMalformed(`refused update: ${result.refused}`);
      })
      .catch((error) => {
        // The edit is nowhere (not stored, not applied) but the client has it: make it reconnect,
        // its SyncStep2 will offer the edit again.
        this.logger.error({ ...this.logFields(), ...describeError(error) }, 'recording an edit failed');
        this.disconnect(CloseCode.internalError, 'edit not recorded; reconnect to resync');
      })
      .finally(() => {
        this.pendingEdits -= 1;
      });
  }

  private reportMalformed(reason: string): void {
    this.malformedFrames += 1;
    if (worthLogging(this.malformedFrames)) {
      this.logger.warn({ ...this.logFields(), reason, count: this.malformedFrames }, 'malformed collab frame ignored');
    }
    if (this.malformedFrames > this.limits.maxMalformedFrames) {
      this.logger.warn({ ...this.logFields(), count: this.malformedFrames }, 'too many malformed frames; closing');
      this.disconnect(CloseCode.unsupportedData, 'malformed frames');
    }
  }

  private cleanUp(code: number): void {
    if (this.closed) return;
    this.closed = true;
    this.document.removePeer(this);
    this.onClosed(this);
    this.logger.info({ ...this.logFields(), code, malformedFrames: this.malformedFrames, refusedWrites: this.refusedWrites }, 'collab connection closed');
  }

  private logFields(): Record<string, unknown> {
    return { proposalId: this.document.proposalId, userId: this.userId, connectionId: this.connectionId, access: this.access };
  }
}

function copyFrame(data: RawData): Uint8Array {
  if (Array.isArray(data)) {
    const total = data.reduce((sum, part) => sum + part.length, 0);
    const frame = new Uint8Array(total);
    let offset = 0;
    for (const part of data) {
      frame.set(part, offset);
      offset += part.length;
    }
    return frame;
  }
  if (data instanceof ArrayBuffer) return new Uint8Array(data.slice(0));
  const frame = new Uint8Array(data.length);
  frame.set(data);
  return frame;
}
