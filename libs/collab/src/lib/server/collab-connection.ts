import { validateYjsUpdate } from '@concord/content';
import { authorColor } from '@concord/contracts';
import { WebSocket, RawData } from 'ws';
import type { DocumentPeer, LiveDocument, Presence } from '../live-document';
import { CollabLogger, describeError, worthLogging } from '../logger';
import { AwarenessEntry, IncomingMessage, parseIncomingFrame, RefusalCode } from '../protocol/collab-messages';
import { AwarenessThrottle } from './awareness-throttle';
import { CloseCode } from './close-codes';
import type { Access, CollabUser } from './collab-user';
import type { ConnectionLimits } from './connection-limits';
import { copyFrame, FRAME_OVERHEAD_BYTES, frameLength } from './frame-bytes';
import { RefusalNotices } from './refusal-notices';

export type { Access, CollabUser } from './collab-user';
export type { AwarenessRateLimits, ConnectionLimits } from './connection-limits';
export { CloseCode } from './close-codes';

/** Longest timer Node accepts; a later expiry is re-armed when it fires. */
const MAX_TIMER_MS = 2_147_483_647;

/**
 * One WebSocket on one document: reads frames, answers the sync protocol, hands writes to the
 * document's ordered path, relays awareness. It decides nothing about persistence; the document
 * does. What a read-only connection sends that would change the document is dropped and reported;
 * its awareness is relayed (a chair's caret and presence show to drafters).
 */
export class CollabConnection implements DocumentPeer {
  readonly userId: string;
  /** What others see as this connection's `user` in awareness: the signed-in name, the colour of the id. */
  readonly presence: Presence;
  private readonly awareness: AwarenessThrottle;
  private alive = true;
  private closed = false;
  private malformedFrames = 0;
  private refusedWrites = 0;
  private refusedAwareness = 0;
  private pendingEdits = 0;
  /** Some edit of this connection was recorded since the last "recorded" acknowledgement. */
  private unacknowledged = false;
  private readonly notices = new RefusalNotices((message) => this.send(message));
  private expiryTimer: NodeJS.Timeout | null = null;
  private accessValue: Access;

  constructor(
    readonly connectionId: string,
    private readonly socket: WebSocket,
    readonly user: CollabUser,
    access: Access,
    private readonly document: LiveDocument,
    private readonly limits: ConnectionLimits,
    private readonly logger: CollabLogger,
    private readonly onClosed: (connection: CollabConnection) => void,
  ) {
    this.userId = user.userId;
    this.presence = { name: user.name, color: authorColor(user.userId) };
    this.accessValue = access;
    this.awareness = new AwarenessThrottle(limits.awareness, Date.now(), (entries) => this.applyAwareness(entries), () => this.closed);
  }

  get proposalId(): string {
    return this.document.proposalId;
  }

  get access(): Access {
    return this.accessValue;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /**
   * From now on this connection only reads; the client is told why (`read-only:`). It stays open
   * and keeps receiving live updates. Edits already queued are decided by the document's fence.
   */
  downgrade(reason: string): void {
    if (this.closed || this.accessValue === 'read-only') return;
    this.accessValue = 'read-only';
    this.logger.info({ ...this.logFields(), reason }, 'collab connection is now read-only');
    this.notices.tell('read-only', reason, { force: true });
  }

  /** Tells the client why, then closes with a code the stock client does not retry (44xx). */
  refuseAndClose(code: RefusalCode, reason: string, closeCode: number): void {
    if (this.closed) return;
    this.logger.info({ ...this.logFields(), code, reason, closeCode }, 'collab connection refused and closed');
    this.notices.tell(code, reason, { force: true });
    this.disconnect(closeCode, `${code}: ${reason}`.slice(0, 120));
  }

  /** A fence marker in the content stream closed writes for this user (see access-fence.ts). */
  writesClosed(reason: string): void {
    this.downgrade(reason);
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
    const fenced = this.accessValue !== 'read-only' ? this.document.writeRefusalFor(this.userId) : null;
    if (fenced !== null) this.downgrade(fenced);
    this.armExpiry();
  }

  private armExpiry(): void {
    const expiresAt = this.user.expiresAt;
    if (expiresAt === undefined || this.closed) return;
    const delay = expiresAt - Date.now();
    if (delay <= 0) {
      this.refuseAndClose('session-ended', 'Your session has expired; sign in again.', CloseCode.sessionEnded);
      return;
    }
    this.expiryTimer = setTimeout(() => this.armExpiry(), Math.min(delay, MAX_TIMER_MS));
    this.expiryTimer.unref();
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
    const frameBytes = frameLength(data);
    // The frame limit is far above the update limit so that an oversized update is read and
    // refused with a reason: a 1009 close would make the stock client reconnect and resend it forever.
    if (frameBytes > this.limits.maxUpdateBytes + FRAME_OVERHEAD_BYTES) {
      this.logger.warn({ ...this.logFields(), bytes: frameBytes, limit: this.limits.maxUpdateBytes }, 'collab frame over the update limit; refused');
      this.refuseAndClose('too-large', `The change is ${frameBytes} bytes; the limit is ${this.limits.maxUpdateBytes} bytes. It was not recorded.`, CloseCode.tooLarge);
      return;
    }
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
        this.receiveUpdate(message.update, message.kind);
        return;
      case 'awareness':
        this.receiveAwareness(message.entries);
        return;
      case 'query-awareness':
        this.document.sendAllAwarenessStates(this);
        return;
    }
  }

  /**
   * Awareness (presence, carets) of any connection, reader or writer: bounded in size, in client
   * ids and in rate; the `user` others see is set by the document from `presence`.
   */
  private receiveAwareness(entries: readonly AwarenessEntry[]): void {
    const check = this.document.checkAwareness(this, entries);
    if (!check.ok) {
      this.noteRefusedAwareness(check.reason);
      if (check.code === 'too-large') {
        this.refuseAndClose('too-large', `${check.reason} It was not shown to others.`, CloseCode.tooLarge);
      } else {
        this.notices.tell('invalid', `${check.reason} It was not shown to others.`);
        this.reportMalformed(`refused awareness: ${check.reason}`);
      }
      return;
    }
    if (check.claim) this.noteRefusedAwareness(check.claim);
    if (check.own.length === 0) return;
    if (this.awareness.offer(check.own) === 'flood') {
      const limit = this.limits.awareness.floodPerSecond;
      this.logger.warn({ ...this.logFields(), limit }, 'awareness flood; closing the sender');
      this.disconnect(CloseCode.policyViolation, `awareness flood: more than ${limit} updates/s`);
    }
  }

  private applyAwareness(entries: readonly AwarenessEntry[]): void {
    const verdict = this.document.applyOwnAwareness(this, entries);
    if (!verdict.accepted) this.noteRefusedAwareness(verdict.reason);
  }

  private noteRefusedAwareness(reason: string): void {
    this.refusedAwareness += 1;
    if (worthLogging(this.refusedAwareness)) {
      this.logger.warn({ ...this.logFields(), reason, count: this.refusedAwareness }, 'awareness update dropped');
    }
  }

  private receiveUpdate(update: Uint8Array, kind: 'sync-step-2' | 'sync-update'): void {
    if (update.length > this.limits.maxUpdateBytes) {
      this.refuseAndClose('too-large', `The change is ${update.length} bytes; the limit is ${this.limits.maxUpdateBytes} bytes. It was not recorded.`, CloseCode.tooLarge);
      return;
    }
    const validation = validateYjsUpdate(update, {
      maxBytes: this.limits.maxUpdateBytes,
      allowedRootTypes: this.limits.allowedRootTypes,
      doc: this.document.doc, // the schema check then knows the parent of every item (read, not changed)
    });
    if (!validation.ok) {
      this.notices.tell('invalid', `The change was not recorded: ${validation.reason}.`);
      this.reportMalformed(`invalid update: ${validation.reason}`);
      return;
    }
    // A SyncStep2 is the client's answer to our SyncStep1 (at connect, and after each "recorded"
    // acknowledgement): usually nothing the document lacks. Not worth a turn of the queue.
    if (kind === 'sync-step-2' && !this.document.wouldChange(update, validation.parsed)) return;
    if (this.accessValue === 'read-only') {
      if (kind === 'sync-update' && !this.document.wouldChange(update, validation.parsed)) return;
      this.refusedWrites += 1;
      if (worthLogging(this.refusedWrites)) {
        this.logger.warn(
          { ...this.logFields(), bytes: update.length, count: this.refusedWrites },
          'read-only connection sent a change; refused, not recorded',
        );
      }
      this.notices.tell('read-only', this.document.writeRefusalFor(this.userId) ?? 'You may read this proposal but not change it.');
      return;
    }
    if (this.pendingEdits >= this.limits.maxPendingEdits) {
      this.logger.warn({ ...this.logFields(), pendingEdits: this.pendingEdits }, 'too many edits waiting for the store');
      this.disconnect(CloseCode.tryAgainLater, 'too many pending edits; reconnect to resync');
      return;
    }
    this.pendingEdits += 1;
    this.document
      .submitEdit({ update, parsed: validation.parsed, userId: this.userId, kind: 'edit', origin: this, suggestOnly: this.accessValue === 'suggest-only' })
      .then((result) => {
        if (result.recorded) this.unacknowledged = true;
        if (!result.refusal) return;
        if (result.refusal.code === 'read-only') {
          // The fence closed writes between the socket's decision and the append.
          this.downgrade(result.refusal.reason);
        } else if (result.refusal.code === 'too-large') {
          this.refuseAndClose('too-large', result.refusal.reason, CloseCode.tooLarge);
        } else {
          this.notices.tell(result.refusal.code, result.refusal.reason);
          // Counted with malformed frames (a client that keeps sending refused changes is closed
          // the same way), but logged for what it is: a change the rules refused.
          this.reportMalformed(`refused update: ${result.refused}: ${result.refusal.reason}`, 'change refused by the rules; not recorded');
        }
      })
      .catch((error) => {
        // The edit is nowhere (not stored, not applied) but the client has it: make it reconnect,
        // its SyncStep2 will offer the edit again.
        this.logger.error({ ...this.logFields(), ...describeError(error) }, 'recording an edit failed');
        this.disconnect(CloseCode.internalError, 'edit not recorded; reconnect to resync');
      })
      .finally(() => {
        this.pendingEdits -= 1;
        // One acknowledgement per recorded batch, once nothing of this connection is waiting.
        if (this.pendingEdits === 0 && this.unacknowledged && !this.closed) {
          this.unacknowledged = false;
          this.document.acknowledgeRecorded(this);
        }
      });
  }

  private reportMalformed(reason: string, what = 'malformed collab frame ignored'): void {
    this.malformedFrames += 1;
    if (worthLogging(this.malformedFrames)) {
      this.logger.warn({ ...this.logFields(), reason, count: this.malformedFrames }, what);
    }
    if (this.malformedFrames > this.limits.maxMalformedFrames) {
      this.logger.warn({ ...this.logFields(), count: this.malformedFrames }, 'too many malformed frames; closing');
      this.disconnect(CloseCode.unsupportedData, 'malformed frames');
    }
  }

  private cleanUp(code: number): void {
    if (this.closed) return;
    this.closed = true;
    if (this.expiryTimer) clearTimeout(this.expiryTimer);
    this.awareness.stop();
    this.document.removePeer(this);
    this.onClosed(this);
    this.logger.info({ ...this.logFields(), code, malformedFrames: this.malformedFrames, refusedWrites: this.refusedWrites }, 'collab connection closed');
  }

  private logFields(): Record<string, unknown> {
    return { proposalId: this.document.proposalId, userId: this.userId, connectionId: this.connectionId, access: this.accessValue };
  }
}
