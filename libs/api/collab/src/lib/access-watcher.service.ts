import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { CollabServer } from '@concord/collab';
import { STREAM_PREFIXES } from '@concord/domain';
import { EVENT_STORE, EventStore, RecordedEvent, Subscription } from '@concord/event-store';
import { READ_MODEL_DATABASE, ReadModelDatabase, ReadModels, rootLogger } from '@concord/api/platform';
import { ACCESS_EVENT_TYPES, AccessChange, SILENCE_END_EVENT_TYPES, proposalsConcerned, socketRecheckOf, userConcerned } from './access-changes';
import { COLLAB_SERVER } from './collab.provider';

const logger = rootLogger.child({ context: 'AccessWatcher' });

/** How long the read models may take to show an access event before writers are made read-only. */
export const ACCESS_STALE_AFTER_MS = 800;
/** How long to keep waiting after that before giving up on this event (the connections stay read-only). */
const ACCESS_GIVE_UP_AFTER_MS = 30_000;
const POLL_MS = 20;
const WATCHED_TYPES = new Set<string>([...ACCESS_EVENT_TYPES, ...SILENCE_END_EVENT_TYPES, 'SessionEnded']);
const WATCHED_STREAMS = [STREAM_PREFIXES.submission, STREAM_PREFIXES.proposal, STREAM_PREFIXES.workspace, STREAM_PREFIXES.user, STREAM_PREFIXES.session];
const SESSION_ENDED_REASON = 'Your session has ended; sign in again.';

/**
 * Access follows the log on open sockets: every node follows the events that change who may
 * write or read (its own and other nodes'), waits until its read models show the event, then has
 * the collab server decide the affected connections again. If the read models lag beyond
 * ACCESS_STALE_AFTER_MS, writers are made read-only at once (fail closed) and decided again once
 * the read models catch up.
 */
@Injectable()
export class AccessWatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private subscription: Subscription | undefined;
  private stopped = false;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODEL_DATABASE) private readonly db: ReadModelDatabase,
    @Inject(COLLAB_SERVER) private readonly collab: CollabServer,
    private readonly readModels: ReadModels,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const head = await this.store.headPosition();
    this.subscription = this.store.subscribe(
      { afterPosition: head, streamPrefixes: WATCHED_STREAMS },
      (event) => {
        // Never hold the subscription: deciding waits for the read models.
        if (WATCHED_TYPES.has(event.type)) void this.react(event);
      },
      (error) => logger.error({ err: error }, 'stopped following access events'),
    );
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    await this.subscription?.close();
  }

  /** A session ended (signed out, everywhere, expired, disabled…): its sockets close with 4401. */
  private async sessionEnded(event: RecordedEvent): Promise<void> {
    const sessionId = (event.data as { sessionId?: unknown } | null)?.sessionId;
    if (typeof sessionId !== 'string') return;
    try {
      const started = Date.now();
      // authorize() reads the sessions read model: wait until it shows the end (a short wait; no fail-closed step needed, nothing else reads stale).
      await this.projected(event.position, ACCESS_GIVE_UP_AFTER_MS);
      const outcome = await this.collab.reauthorize({ sessionIds: [sessionId] }, { reason: SESSION_ENDED_REASON });
      if (outcome.decided > 0) logger.info({ type: event.type, position: event.position, ms: Date.now() - started, ...outcome }, 'session end applied to open co-editing connections');
    } catch (error) {
      logger.error({ err: error, type: event.type, position: event.position }, 'could not apply a session end to open connections');
    }
  }

  private async react(event: RecordedEvent): Promise<void> {
    if (event.type === 'SessionEnded') return this.sessionEnded(event);
    const change = socketRecheckOf({ type: event.type, data: event.data });
    if (!change) return;
    try {
      const started = Date.now();
      const fresh = await this.projected(event.position, ACCESS_STALE_AFTER_MS);
      if (!fresh) {
        logger.warn({ type: event.type, position: event.position, readModelPosition: this.readModels.position }, 'read models behind an access event; co-editing writers made read-only until they catch up');
        await this.collab.reauthorize(await this.filterOf(change), { failClosed: true, reason: 'Your access is being re-checked; changes are paused.' });
        if (!(await this.projected(event.position, ACCESS_GIVE_UP_AFTER_MS))) {
          logger.error({ type: event.type, position: event.position }, 'read models did not show an access event; writers stay read-only');
          return;
        }
      }
      const outcome = await this.collab.reauthorize(await this.filterOf(change), { reason: change.reason });
      logger.info({ type: event.type, position: event.position, ms: Date.now() - started, ...outcome }, 'access event applied to open co-editing connections');
    } catch (error) {
      logger.error({ err: error, type: event.type, position: event.position }, 'could not apply an access event to open connections');
    }
  }

  private async filterOf(change: AccessChange): Promise<{ proposalIds?: string[]; userIds?: string[] }> {
    const userId = userConcerned(change);
    if (userId) return { userIds: [userId] };
    return { proposalIds: await proposalsConcerned(this.db, change) };
  }

  /** True once the read models reflect `position`, false after `timeoutMs`. */
  private async projected(position: number, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!this.stopped) {
      if (this.readModels.position >= position) return true;
      if (Date.now() >= deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    return false;
  }
}
