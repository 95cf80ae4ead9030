import { EventStore, RecordedEvent, retryWithBackoff, Subscription, WakeableWait } from '@concord/event-store';
import { sha256Hex } from '@concord/integrity';
import type { Logger } from 'pino';
import type { Projection } from './projection';
import { ReadModelDatabase, sql, SqlStatement } from './read-model-database';

/**
 * Holds the schema fingerprint of the read models (one row; its `position` column is unused since
 * positions moved to POSITIONS_TABLE). The table keeps its old name, `rm_checkpoint`, so that
 * existing read models are not rebuilt for a rename; in code and docs "checkpoint" means only the
 * signed checkpoints of the log, and where a projection stands is its *projection position*.
 */
const SCHEMA_TABLE = 'rm_checkpoint';
/** One row per projection: the position of the last event it reflects. */
const POSITIONS_TABLE = 'rm_projection_positions';
/** Bumped when the way positions are kept changes, so older read models are rebuilt once. */
const POSITIONS_LAYOUT = 'per-projection-positions-v1';
/** How often a follower reads the leader's positions, and retries the lease. */
const FOLLOW_INTERVAL_MS = 50;
/**
 * How long the leader may keep, in memory only, a position reached by events that changed nothing
 * in a projection (most projections ignore content updates) before writing it: every such position
 * is written within this, in one transaction for all projections, so followers and a restart see it.
 */
const POSITION_FLUSH_MS = 50;
const LEASE_RETRY_MS = 2_000;
/** How often the log's head is sampled to measure how far behind each projection is. */
const LAG_SAMPLE_INTERVAL_MS = 250;
const FIRST_RETRY_DELAY_MS = 100;
const MAX_RETRY_DELAY_MS = 30_000;
/** Events a projection may have delivered and not applied yet before its subscription waits for it. */
const MAX_QUEUED_EVENTS = 2_000;
/** Bounds the head samples kept while a projection is stuck (the oldest is always kept). */
const MAX_LAG_SAMPLES = 10_000;

export interface ProjectionRunnerOptions {
  followIntervalMs?: number;
  leaseRetryMs?: number;
  lagSampleIntervalMs?: number;
  firstRetryDelayMs?: number;
  maxRetryDelayMs?: number;
  /**
   * Called each time this node starts leading, once the read models are current: work that one
   * node does for all (derived events, the content hash) catches up from there.
   */
  onLeading?: () => void;
}

/** The event a projection cannot apply, while it keeps retrying it. */
export interface ProjectionFailure {
  readonly position: number;
  readonly stream: string;
  readonly type: string;
  readonly attempts: number;
  /** ISO time of the first failed attempt. */
  readonly since: string;
  readonly error: string;
}

export interface ProjectionLag {
  readonly name: string;
  /** The last event this projection reflects. */
  readonly position: number;
  readonly lagEvents: number;
  /** How long the oldest event it does not reflect yet has been in the log (as sampled). */
  readonly lagMs: number;
  /** Set on the node applying the projections while an event keeps failing. */
  readonly failing: ProjectionFailure | null;
}

export interface ReadModelLag {
  /** The log's head position when last sampled. */
  readonly headPosition: number;
  /** When the head was last sampled successfully (ISO), null before the first sample. */
  readonly measuredAt: string | null;
  /** Milliseconds since that sample: a store that cannot be read makes every answer old. */
  readonly measurementAgeMs: number;
  readonly role: 'stopped' | 'leader' | 'follower';
  readonly projections: readonly ProjectionLag[];
}

/** Raised to waiters when a projection they wait for cannot apply an event. */
export class ProjectionFailingError extends Error {
  override readonly name = 'ProjectionFailingError';
  constructor(
    readonly projection: string,
    readonly failure: ProjectionFailure,
  ) {
    super(
      `read model ${projection} cannot apply event ${failure.type} at position ${failure.position} ` +
        `(stream ${failure.stream}; ${failure.attempts} attempt(s) since ${failure.since}); it keeps retrying`,
    );
  }
}

/** One projection's own subscription, position and retry state. */
interface Lane {
  readonly projection: Projection;
  position: number;
  subscription: Subscription | undefined;
  failure: ProjectionFailure | null;
  /** The back-off wait of a retry, cut short on stop. */
  readonly pause: WakeableWait;
  /** Bumped when the lane's subscription is closed, so a retry loop of the old one ends. */
  generation: number;
  /** The position last written to POSITIONS_TABLE (behind `position` after events that changed nothing). */
  storedPosition: number;
  /** Events delivered and not yet applied, applied together by `drain`. */
  queue: RecordedEvent[];
  /** The drain in progress, if any. */
  draining: Promise<void> | undefined;
}

/**
 * Keeps every registered projection current from the log. Projections are independent, so each
 * has its own subscription and its own position (committed with its statements in one
 * transaction; an event that changes nothing in a projection costs no transaction — the positions
 * such events reach are written together, within POSITION_FLUSH_MS): a projection that cannot
 * apply an event retries that event with exponential backoff (capped; every attempt is logged with
 * the event's stream, type and position) while the others go on. When the projections' DDL changes, the read models are rebuilt from the log at start.
 *
 * Several API nodes may share one read-model database: only the node holding the projection lease
 * (see ReadModelDatabase) writes; the others follow the positions it commits, and take over the
 * lease when its holder goes away.
 *
 * How far behind the log the read models are is measured by sampling the head position: a
 * projection's lag is the age of the oldest sample that is ahead of it (`lag()`).
 */
export class ProjectionRunner {
  private readonly lanes: Lane[];
  private waiters: { position: number; resolve: () => void; reject: (error: unknown) => void }[] = [];
  private role: 'stopped' | 'leader' | 'follower' = 'stopped';
  private followTimer: NodeJS.Timeout | undefined;
  private positionFlushTimer: NodeJS.Timeout | undefined;
  /** The position write in flight, awaited before the tables are reset or the runner stops. */
  private positionFlush: Promise<void> = Promise.resolve();
  private lagTimer: NodeJS.Timeout | undefined;
  private nextLeaseAttempt = 0;
  /** Head positions with when they were first seen, ascending. */
  private headSamples: { position: number; at: number }[] = [];
  private headPosition = 0;
  private measuredAt: number | undefined;

  constructor(
    private readonly store: EventStore,
    private readonly db: ReadModelDatabase,
    projections: Projection[],
    private readonly logger: Logger,
    private readonly options: ProjectionRunnerOptions = {},
  ) {
    this.lanes = projections.map((projection) => ({
      projection,
      position: 0,
      subscription: undefined,
      failure: null,
      pause: new WakeableWait(),
      generation: 0,
      storedPosition: 0,
      queue: [],
      draining: undefined,
    }));
  }

  /** The position every projection has reached (the slowest one's). */
  get position(): number {
    return this.lanes.length === 0 ? this.headPosition : Math.min(...this.lanes.map((lane) => lane.position));
  }

  get isLeader(): boolean {
    return this.role === 'leader';
  }

  /**
   * A fingerprint of all DDL: a change means the stored read models are of another shape. Where a
   * table lives is not its shape: a PostgreSQL schema qualifier (`public.`, used by the webhooks
   * outbox that every node shares) is left out, so every store has the same fingerprint.
   */
  private schemaVersion(): string {
    const shape = (ddl: readonly string[]) => ddl.join(';').replace(/\bpublic\./g, '');
    return sha256Hex([POSITIONS_LAYOUT, ...this.lanes.map(({ projection: p }) => `${p.name}:${shape(p.ddl)}`)].join('\n'));
  }

  async start(): Promise<void> {
    await this.db.execute([
      sql(`CREATE TABLE IF NOT EXISTS ${SCHEMA_TABLE} (id INTEGER PRIMARY KEY, position BIGINT NOT NULL, schema_version TEXT NOT NULL)`),
      sql(`CREATE TABLE IF NOT EXISTS ${POSITIONS_TABLE} (name TEXT PRIMARY KEY, position BIGINT NOT NULL)`),
    ]);
    if (await this.db.tryAcquireProjectionLease(() => this.loseLease())) {
      await this.lead();
    } else {
      this.logger.info('read models: another node applies the projections; following its positions');
      this.follow();
    }
    await this.sampleHead();
    this.scheduleLagSampling();
  }

  private async lead(): Promise<void> {
    this.role = 'leader';
    const [schema] = await this.db.query<{ schema_version: string }>(`SELECT schema_version FROM ${SCHEMA_TABLE} WHERE id = 1`);
    if (!schema || schema.schema_version !== this.schemaVersion()) {
      this.logger.info({ previous: schema?.schema_version ?? null }, 'read models: (re)creating tables and replaying the log');
      await this.resetTables();
    } else {
      const stored = new Map((await this.readPositions()).map((row) => [row.name, row.position]));
      for (const lane of this.lanes) lane.position = lane.storedPosition = stored.get(lane.projection.name) ?? 0;
    }
    await this.subscribeAll();
    if (this.role === 'leader') this.options.onLeading?.();
  }

  /** Drops every read-model table and replays the whole log (`npm run rebuild-projections`). */
  async rebuild(): Promise<void> {
    if (this.role !== 'leader') {
      throw new Error('Another process applies the read models: stop every API node before rebuilding them');
    }
    await this.closeSubscriptions();
    clearTimeout(this.positionFlushTimer);
    this.positionFlushTimer = undefined;
    await this.positionFlush;
    await this.resetTables();
    await this.subscribeAll();
    await this.waitForPosition(await this.store.headPosition());
  }

  /**
   * Resolves once every projection reflects every event up to `position`; rejects at once with
   * ProjectionFailingError when a projection still short of it is failing.
   */
  waitForPosition(position: number, timeoutMs = 10_000): Promise<void> {
    if (this.position >= position) return Promise.resolve();
    const failing = this.failingBefore(position);
    if (failing) return Promise.reject(failing);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((waiter) => waiter.resolve !== done);
        reject(new Error(`read models did not reach position ${position} within ${timeoutMs} ms`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      this.waiters.push({
        position,
        resolve: done,
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
    });
  }

  /** Positions, lag and failures of every projection, as of the last head sample. */
  lag(now = Date.now()): ReadModelLag {
    return {
      headPosition: this.headPosition,
      measuredAt: this.measuredAt === undefined ? null : new Date(this.measuredAt).toISOString(),
      measurementAgeMs: this.measuredAt === undefined ? Number.POSITIVE_INFINITY : now - this.measuredAt,
      role: this.role,
      projections: this.lanes.map((lane) => ({
        name: lane.projection.name,
        position: lane.position,
        lagEvents: Math.max(0, this.headPosition - lane.position),
        lagMs: this.lagMsOf(lane, now),
        failing: lane.failure,
      })),
    };
  }

  async stop(): Promise<void> {
    const wasLeader = this.role === 'leader';
    this.role = 'stopped';
    clearTimeout(this.followTimer);
    clearTimeout(this.lagTimer);
    clearTimeout(this.positionFlushTimer);
    this.positionFlushTimer = undefined;
    await this.closeSubscriptions();
    await this.positionFlush;
    if (wasLeader) await this.flushPositions().catch((error) => this.logger.warn({ err: error }, 'read models: could not write the projection positions on stop'));
  }

  // -------------------------------------------------------------------------------------------
  // Leading: one subscription per projection

  private async subscribeAll(): Promise<void> {
    // Start resolves when every projection has caught up or is failing (and retrying): a failing
    // projection must not keep the API from starting — health reports it instead.
    await Promise.all(this.lanes.map((lane) => this.subscribe(lane)));
  }

  private subscribe(lane: Lane): Promise<void> {
    let settle!: () => void;
    const settled = new Promise<void>((resolve) => (settle = resolve));
    const subscription = this.store.subscribe(
      { afterPosition: lane.position },
      (event) => this.enqueue(lane, event, settle),
      (error) => {
        settle();
        if (lane.subscription !== subscription || this.role !== 'leader') return;
        lane.subscription = undefined;
        this.logger.error({ projection: lane.projection.name, position: lane.position, err: error }, 'read models: a projection subscription stopped; resubscribing');
        const timer = setTimeout(() => {
          if (this.role === 'leader' && !lane.subscription) void this.subscribe(lane);
        }, this.options.maxRetryDelayMs ?? MAX_RETRY_DELAY_MS);
        timer.unref();
      },
    );
    lane.subscription = subscription;
    // Caught up means applied, not only delivered: wait for the events queued by then.
    subscription.caughtUp.then(() => lane.draining).then(settle, settle);
    return settled;
  }

  /**
   * Queues a delivered event; the lane applies what is queued in its next turn (`drain`), so that
   * the events of one page of the log — a burst of keystrokes on many documents — cost one
   * transaction per projection, not one per event. The subscription waits when too much is queued.
   */
  private enqueue(lane: Lane, event: RecordedEvent, onFirstFailure: () => void): Promise<void> | undefined {
    const last = lane.queue.length > 0 ? lane.queue[lane.queue.length - 1].position : lane.position;
    if (event.position <= last) return undefined;
    lane.queue.push(event);
    lane.draining ??= this.drain(lane, onFirstFailure)
      .catch((error) => {
        // A closed lane ends its drain; anything else is a bug, and the lane resubscribes on its next event.
        if (!(error instanceof LaneClosedError)) this.logger.error({ projection: lane.projection.name, err: error }, 'read models: applying queued events stopped');
      })
      .finally(() => (lane.draining = undefined));
    return lane.queue.length >= MAX_QUEUED_EVENTS || lane.failure ? lane.draining : undefined;
  }

  /**
   * Applies the lane's queue in order: the statements of consecutive events go into one transaction
   * with the last event's position, except for an event the projection reads its own tables for
   * (`readsOwnTables`), which must see every event before it applied: the statements gathered so
   * far are written first, and that event is applied on its own. A `handle` answering with a
   * promise is also applied on its own, after what was gathered.
   * When a combined transaction fails, its events are applied one by one (`applyWithRetry`), so the
   * failing event is found, retried and reported as before.
   */
  private async drain(lane: Lane, onFirstFailure: () => void): Promise<void> {
    const generation = lane.generation;
    // Let the subscription deliver the rest of its page first.
    await new Promise<void>((resolve) => setImmediate(resolve));
    while (lane.queue.length > 0 && lane.generation === generation && this.role === 'leader') {
      // Events at or before the position reached were delivered again by a renewed subscription.
      const batch = lane.queue.splice(0, lane.queue.length).filter((event) => event.position > lane.position);
      let gathered: { statements: SqlStatement[]; events: RecordedEvent[] } = { statements: [], events: [] };
      const writeGathered = async () => {
        const { statements, events } = gathered;
        gathered = { statements: [], events: [] };
        if (events.length === 0) return;
        const last = events[events.length - 1];
        if (statements.length > 0) {
          try {
            await this.db.execute([...statements, sql(`UPDATE ${POSITIONS_TABLE} SET position = ? WHERE name = ?`, last.position, lane.projection.name)]);
            lane.storedPosition = last.position;
          } catch {
            for (const event of events) {
              if (lane.generation !== generation) return;
              await this.applyWithRetry(lane, event, onFirstFailure);
            }
            return;
          }
        }
        this.applied(lane, last.position);
      };
      for (const event of batch) {
        if (lane.generation !== generation) return;
        if (lane.projection.readsOwnTables?.(event)) {
          // It reads what the events before it wrote: those are written first, and it is applied alone.
          await writeGathered();
          if (lane.generation !== generation) return;
          await this.applyWithRetry(lane, event, onFirstFailure);
          continue;
        }
        let handled: SqlStatement[] | Promise<SqlStatement[]>;
        try {
          handled = lane.projection.handle(event);
        } catch (error) {
          handled = Promise.reject(error); // the first attempt: reported, then retried, below
        }
        if (!isPromise(handled)) {
          gathered.statements.push(...handled);
          gathered.events.push(event);
          continue;
        }
        handled.catch(() => undefined);
        await writeGathered();
        if (lane.generation !== generation) return;
        await this.applyWithRetry(lane, event, onFirstFailure, handled);
      }
      await writeGathered();
    }
  }

  /** `firstAttempt`: the statements of a first call of `handle` already made (in `drain`). */
  private async applyWithRetry(lane: Lane, event: RecordedEvent, onFirstFailure: () => void, firstAttempt?: Promise<SqlStatement[]>): Promise<void> {
    if (event.position <= lane.position) return;
    let pendingAttempt = firstAttempt;
    const name = lane.projection.name;
    const generation = lane.generation;
    const stillApplying = () => this.role === 'leader' && lane.generation === generation;
    let attempts = 0;
    await retryWithBackoff(
      async () => {
        if (!stillApplying()) throw new LaneClosedError();
        attempts += 1;
        const attempt = pendingAttempt ?? lane.projection.handle(event);
        pendingAttempt = undefined;
        const statements = await attempt;
        // An event that changes nothing here costs no transaction: its position is written later,
        // with the other projections' (flushPositions), or with this projection's next change.
        if (statements.length === 0) return;
        await this.db.execute([...statements, sql(`UPDATE ${POSITIONS_TABLE} SET position = ? WHERE name = ?`, event.position, name)]);
        lane.storedPosition = event.position;
      },
      {
        firstDelayMs: this.options.firstRetryDelayMs ?? FIRST_RETRY_DELAY_MS,
        maxDelayMs: this.options.maxRetryDelayMs ?? MAX_RETRY_DELAY_MS,
        wait: (ms) => lane.pause.wait(ms),
        onFailure: (error, attempt, delayMs) => {
          if (error instanceof LaneClosedError) throw error;
          lane.failure = {
            position: event.position,
            stream: event.stream,
            type: event.type,
            attempts: attempt,
            since: lane.failure?.position === event.position ? lane.failure.since : new Date().toISOString(),
            error: error instanceof Error ? error.message : String(error),
          };
          // One line per attempt: the backoff doubles up to its cap, so this is never a flood.
          this.logger.error(
            { projection: name, position: event.position, stream: event.stream, type: event.type, attempt, retryInMs: delayMs, err: error },
            'read models: a projection failed to apply an event; retrying it (the other projections go on)',
          );
          onFirstFailure();
          this.settleWaiters();
          if (!stillApplying()) throw new LaneClosedError();
        },
      },
    );
    if (lane.failure) {
      this.logger.warn(
        { projection: name, position: event.position, stream: event.stream, type: event.type, attempts, since: lane.failure.since },
        'read models: projection recovered; it applied the event it was retrying',
      );
      lane.failure = null;
    }
    this.applied(lane, event.position);
  }

  private applied(lane: Lane, position: number): void {
    lane.position = position;
    if (lane.storedPosition < lane.position) this.schedulePositionFlush();
    this.settleWaiters();
  }

  private schedulePositionFlush(): void {
    if (this.positionFlushTimer) return;
    this.positionFlushTimer = setTimeout(() => {
      this.positionFlushTimer = undefined;
      if (this.role !== 'leader') return;
      this.positionFlush = this.flushPositions().catch((error) => {
        this.logger.warn({ err: error }, 'read models: could not write the projection positions; retrying');
        if (this.role === 'leader') this.schedulePositionFlush();
      });
    }, POSITION_FLUSH_MS);
    this.positionFlushTimer.unref();
  }

  /** Writes, in one transaction, every position reached by events that changed nothing (leader only). */
  private async flushPositions(): Promise<void> {
    const behind = this.lanes.filter((lane) => lane.storedPosition < lane.position).map((lane) => ({ lane, position: lane.position }));
    if (behind.length === 0) return;
    await this.db.execute(
      behind.map(({ lane, position }) =>
        // Never backwards: a transaction of the projection's own may have written a later one meanwhile.
        sql(`UPDATE ${POSITIONS_TABLE} SET position = ? WHERE name = ? AND position < ?`, position, lane.projection.name, position),
      ),
    );
    for (const { lane, position } of behind) lane.storedPosition = Math.max(lane.storedPosition, position);
  }

  private async closeSubscriptions(): Promise<void> {
    const subscriptions = this.lanes.map((lane) => {
      const subscription = lane.subscription;
      lane.subscription = undefined;
      lane.generation++;
      lane.queue = [];
      lane.pause.wake();
      return subscription;
    });
    await Promise.all(subscriptions.map((subscription) => subscription?.close()));
    // A transaction already under way finishes before the tables may be reset.
    await Promise.all(this.lanes.map((lane) => lane.draining));
  }

  private async resetTables(): Promise<void> {
    const drops = this.lanes.flatMap((lane) => lane.projection.tables).map((table) => sql(`DROP TABLE IF EXISTS ${table}`));
    const creates = this.lanes.flatMap((lane) => lane.projection.ddl).map((ddl) => sql(ddl));
    await this.db.execute([
      ...drops,
      ...creates,
      sql(`DELETE FROM ${SCHEMA_TABLE}`),
      sql(`INSERT INTO ${SCHEMA_TABLE} (id, position, schema_version) VALUES (1, 0, ?)`, this.schemaVersion()),
      sql(`DELETE FROM ${POSITIONS_TABLE}`),
      ...this.lanes.map((lane) => sql(`INSERT INTO ${POSITIONS_TABLE} (name, position) VALUES (?, 0)`, lane.projection.name)),
    ]);
    for (const lane of this.lanes) {
      lane.position = 0;
      lane.storedPosition = 0;
      lane.failure = null;
    }
  }

  // -------------------------------------------------------------------------------------------
  // Following another node's positions

  private readPositions(): Promise<{ name: string; position: number }[]> {
    return this.db
      .query<{ name: string; position: number | string }>(`SELECT name, position FROM ${POSITIONS_TABLE}`)
      .then((rows) => rows.map((row) => ({ name: row.name, position: Number(row.position) })));
  }

  /** Reads the leader's positions until this node may take the lease itself. */
  private follow(): void {
    this.role = 'follower';
    const tick = async () => {
      if (this.role !== 'follower') return;
      try {
        if (Date.now() >= this.nextLeaseAttempt) {
          this.nextLeaseAttempt = Date.now() + (this.options.leaseRetryMs ?? LEASE_RETRY_MS);
          if (await this.db.tryAcquireProjectionLease(() => this.loseLease())) {
            this.logger.info('read models: took over applying the projections');
            await this.lead();
            return;
          }
        }
        const stored = new Map((await this.readPositions()).map((row) => [row.name, row.position]));
        for (const lane of this.lanes) lane.position = Math.max(lane.position, stored.get(lane.projection.name) ?? 0);
        this.settleWaiters();
      } catch (error) {
        this.logger.warn({ err: error }, 'read models: could not read the projection positions');
      }
      if (this.role === 'follower') {
        this.followTimer = setTimeout(tick, this.options.followIntervalMs ?? FOLLOW_INTERVAL_MS);
        this.followTimer.unref();
      }
    };
    void tick();
  }

  private loseLease(): void {
    if (this.role !== 'leader') return;
    this.logger.warn('read models: lost the projection lease; following again');
    this.role = 'follower';
    void this.closeSubscriptions();
    for (const lane of this.lanes) lane.failure = null;
    this.follow();
  }

  // -------------------------------------------------------------------------------------------
  // Waiters and lag

  private failingBefore(position: number): ProjectionFailingError | undefined {
    const lane = this.lanes.find((candidate) => candidate.failure && candidate.position < position);
    return lane?.failure ? new ProjectionFailingError(lane.projection.name, lane.failure) : undefined;
  }

  private settleWaiters(): void {
    if (this.waiters.length === 0) return;
    const reached = this.position;
    const still: typeof this.waiters = [];
    for (const waiter of this.waiters) {
      if (waiter.position <= reached) {
        waiter.resolve();
        continue;
      }
      const failing = this.failingBefore(waiter.position);
      if (failing) waiter.reject(failing);
      else still.push(waiter);
    }
    this.waiters = still;
  }

  private lagMsOf(lane: Lane, now: number): number {
    if (lane.position >= this.headPosition) return 0;
    const firstAhead = this.headSamples.find((sample) => sample.position > lane.position);
    return firstAhead ? Math.max(0, now - firstAhead.at) : 0;
  }

  private async sampleHead(): Promise<void> {
    const head = await this.store.headPosition();
    const now = Date.now();
    this.measuredAt = now;
    if (head > this.headPosition) {
      this.headPosition = head;
      this.headSamples.push({ position: head, at: now });
    }
    // Samples every projection has passed are no longer needed; keep the oldest when trimming.
    const reached = Math.min(this.position, head);
    this.headSamples = this.headSamples.filter((sample) => sample.position > reached);
    if (this.headSamples.length > MAX_LAG_SAMPLES) this.headSamples.splice(1, this.headSamples.length - MAX_LAG_SAMPLES);
  }

  /** A method, so that a check after an await is not narrowed away by the one before it. */
  private isStopped(): boolean {
    return this.role === 'stopped';
  }

  private scheduleLagSampling(): void {
    const tick = async () => {
      if (this.role === 'stopped') return;
      try {
        await this.sampleHead();
      } catch (error) {
        this.logger.warn({ err: error }, 'read models: could not read the log head to measure the lag');
      }
      if (this.isStopped()) return;
      this.lagTimer = setTimeout(tick, this.options.lagSampleIntervalMs ?? LAG_SAMPLE_INTERVAL_MS);
      this.lagTimer.unref();
    };
    this.lagTimer = setTimeout(tick, this.options.lagSampleIntervalMs ?? LAG_SAMPLE_INTERVAL_MS);
    this.lagTimer.unref();
  }
}

function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as Promise<T> | undefined)?.then === 'function';
}

/** The lane's subscription was closed (stop, or a lease lost) while an event was being retried. */
class LaneClosedError extends Error {
  constructor() {
    super('read models: this projection subscription was closed');
  }
}
