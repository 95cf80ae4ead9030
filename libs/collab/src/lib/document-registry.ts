import { CollabLogger, describeError } from './logger';
import { LiveDocument } from './live-document';

export interface DocumentRegistryOptions {
  readonly load: (proposalId: string) => Promise<LiveDocument>;
  /** A document nobody holds for this long is destroyed. */
  readonly idleEvictMs: number;
  readonly logger: CollabLogger;
  /** Longest wait for queued appends and snapshots on close (default 5 s). */
  readonly closeGraceMs?: number;
}

/**
 * The live documents of this node. Concurrent first connections share one load; a document is
 * pinned while anyone holds it (connections, in-flight service calls — the registry counts the
 * pins) and evicted after `idleEvictMs` without holders.
 */
export class DocumentRegistry {
  private readonly live = new Map<string, LiveDocument>();
  private readonly loading = new Map<string, Promise<LiveDocument>>();
  private readonly evictionTimers = new Map<LiveDocument, NodeJS.Timeout>();
  private readonly pins = new Map<LiveDocument, number>();
  private closed = false;

  constructor(private readonly options: DocumentRegistryOptions) {}

  /** The live document if this node hosts it now (no load). */
  find(proposalId: string): LiveDocument | undefined {
    return this.live.get(proposalId);
  }

  get proposalIds(): string[] {
    return [...this.live.keys()];
  }

  /** Gets (loading if needed) and pins the document; pair with `release`. */
  async acquire(proposalId: string): Promise<LiveDocument> {
    for (;;) {
      if (this.closed) throw new Error('The collaboration server is closed');
      const current = this.live.get(proposalId);
      if (current && !current.destroyed) {
        this.pin(current);
        return current;
      }
      let pending = this.loading.get(proposalId);
      if (!pending) {
        pending = this.load(proposalId);
        this.loading.set(proposalId, pending);
      }
      const loaded = await pending;
      if (!loaded.destroyed) {
        this.pin(loaded);
        return loaded;
      }
    }
  }

  release(document: LiveDocument): void {
    const pins = Math.max(0, (this.pins.get(document) ?? 0) - 1);
    this.pins.set(document, pins);
    if (pins === 0) this.scheduleEviction(document);
  }

  /** Settles every queue and destroys every document. */
  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.evictionTimers.values()) clearTimeout(timer);
    this.evictionTimers.clear();
    await Promise.allSettled([...this.loading.values()]);
    const documents = [...this.live.values()];
    // A store that hangs must not hang shutdown: pending work is abandoned after a grace period.
    await Promise.race([
      Promise.allSettled(documents.map((document) => document.settle())),
      new Promise((resolve) => setTimeout(resolve, this.options.closeGraceMs ?? 5_000).unref()),
    ]);
    for (const document of documents) document.destroy(1001, 'server shutting down');
    this.live.clear();
  }

  private async load(proposalId: string): Promise<LiveDocument> {
    try {
      const document = await this.options.load(proposalId);
      if (this.closed) {
        document.destroy(1001, 'server shutting down');
        return document;
      }
      this.live.set(proposalId, document);
      document.onDestroyed = () => this.forget(document);
      // Events appended between reading the stream and being registered for the subscription.
      document.scheduleCatchUp();
      this.options.logger.info({ proposalId, revision: document.contentRevision }, 'document loaded');
      return document;
    } finally {
      this.loading.delete(proposalId);
    }
  }

  private pin(document: LiveDocument): void {
    this.pins.set(document, (this.pins.get(document) ?? 0) + 1);
    const timer = this.evictionTimers.get(document);
    if (timer) {
      clearTimeout(timer);
      this.evictionTimers.delete(document);
    }
  }

  private scheduleEviction(document: LiveDocument): void {
    if (this.closed || document.destroyed || this.evictionTimers.has(document)) return;
    const timer = setTimeout(() => {
      this.evictionTimers.delete(document);
      this.evictIfIdle(document);
    }, this.options.idleEvictMs);
    timer.unref();
    this.evictionTimers.set(document, timer);
  }

  private evictIfIdle(document: LiveDocument): void {
    if ((this.pins.get(document) ?? 0) > 0 || document.destroyed) return;
    if (!document.quiescent) {
      // A snapshot or catch-up is still running: look again later rather than lose it.
      this.scheduleEviction(document);
      return;
    }
    try {
      document.destroy();
      this.options.logger.info({ proposalId: document.proposalId }, 'idle document evicted');
    } catch (error) {
      this.options.logger.error({ proposalId: document.proposalId, ...describeError(error) }, 'evicting a document failed');
    }
  }

  private forget(document: LiveDocument): void {
    const timer = this.evictionTimers.get(document);
    if (timer) clearTimeout(timer);
    this.evictionTimers.delete(document);
    this.pins.delete(document);
    if (this.live.get(document.proposalId) === document) this.live.delete(document.proposalId);
  }
}
