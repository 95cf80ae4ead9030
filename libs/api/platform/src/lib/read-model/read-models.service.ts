import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown, ServiceUnavailableException } from '@nestjs/common';
import { EVENT_STORE, EventStore } from '@concord/event-store';
import { rootLogger } from '../logging/logger';
import { ProjectionRegistry } from './projection-registry';
import { ProjectionFailingError, ProjectionRunner, ReadModelLag } from './projection-runner';
import { READ_MODEL_DATABASE, ReadModelDatabase } from './read-model-database';

/** Owns the projection runner's lifecycle inside Nest. */
@Injectable()
export class ReadModels implements OnApplicationBootstrap, OnApplicationShutdown {
  private runner: ProjectionRunner | undefined;
  private readonly leadingListeners: Array<() => void> = [];

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODEL_DATABASE) private readonly db: ReadModelDatabase,
    private readonly registry: ProjectionRegistry,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const started = Date.now();
    this.runner = new ProjectionRunner(this.store, this.db, this.registry.all(), rootLogger.child({ context: 'ReadModels' }), {
      onLeading: () => this.leadingListeners.forEach((listener) => listener()),
    });
    await this.runner.start();
    rootLogger.info(
      { projections: this.registry.all().map((p) => p.name), position: this.runner.position, ms: Date.now() - started },
      'read models are current',
    );
  }

  /**
   * Read-your-writes: a command's response waits until its events are projected. When a projection
   * cannot apply them, the caller is told (503): the events are recorded, the read models are not
   * current.
   */
  async waitFor(position: number): Promise<void> {
    if (position <= 0) return;
    try {
      await this.requireRunner().waitForPosition(position);
    } catch (error) {
      if (error instanceof ProjectionFailingError) {
        throw new ServiceUnavailableException(
          `Recorded in the log (position ${position}), but the read models cannot show it yet: ${error.message}. Try again later.`,
        );
      }
      throw error;
    }
  }

  /**
   * True on the node that applies the projections (the only node with SQLite; one of several on
   * PostgreSQL). Work that one node does for all — following edits to derive the content hash and
   * the suggestion events — runs there, and moves with the lease.
   */
  get isLeader(): boolean {
    return this.runner?.isLeader ?? false;
  }

  /** Calls `listener` each time this node starts leading from now on, once the read models are current. */
  onLeading(listener: () => void): void {
    this.leadingListeners.push(listener);
  }

  get position(): number {
    return this.runner?.position ?? 0;
  }

  /** Positions and lag of every projection; null before the runner has started. */
  lag(): ReadModelLag | null {
    return this.runner?.lag() ?? null;
  }

  rebuild(): Promise<void> {
    return this.requireRunner().rebuild();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.runner?.stop();
  }

  private requireRunner(): ProjectionRunner {
    if (!this.runner) throw new Error('read models are not started yet');
    return this.runner;
  }
}
