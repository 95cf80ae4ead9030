import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { CollabServer } from '@concord/collab';
import { CONTENT_FENCE, CONTENT_HISTORY } from '@concord/api/platform';
import { AccessWatcher } from './access-watcher.service';
import { CollabContentHistory } from './collab-content-history';
import { COLLAB_SERVER, collabServerProvider, PROPOSAL_CONTENT, proposalContentProvider } from './collab.provider';
import { ContentFenceService } from './content-fence.service';
import { ContentHashTracker } from './content-hash-tracker.service';
import { CollabTicketsController } from './collab-tickets.controller';

/**
 * Co-editing: hosts the y-websocket endpoint (attached to the HTTP server by the app), issues its
 * tickets, re-decides open sockets when the log changes access, keeps the content hash current, and
 * provides the content facts other modules decide with.
 *
 * `@Global` because it is the one adapter of two platform ports, `CONTENT_HISTORY` and
 * `CONTENT_FENCE` (libs/api/platform/src/lib/content), which the command handlers of drafting and
 * identity inject: they depend on the port, not on co-editing, and the app chooses the adapter by
 * importing this module once. Everything else it exports (`COLLAB_SERVER`, `PROPOSAL_CONTENT`,
 * `ContentHashTracker`) is for modules that import it by name (HistoryModule) and for the app.
 */
@Global()
@Module({
  controllers: [CollabTicketsController],
  providers: [
    collabServerProvider,
    proposalContentProvider,
    CollabContentHistory,
    { provide: CONTENT_HISTORY, useExisting: CollabContentHistory },
    ContentFenceService,
    { provide: CONTENT_FENCE, useExisting: ContentFenceService },
    ContentHashTracker,
    AccessWatcher,
  ],
  exports: [COLLAB_SERVER, PROPOSAL_CONTENT, CONTENT_HISTORY, CONTENT_FENCE, ContentHashTracker],
})
export class CollabModule implements OnApplicationShutdown {
  constructor(@Inject(COLLAB_SERVER) private readonly collab: CollabServer) {}

  async onApplicationShutdown(): Promise<void> {
    await this.collab.close();
  }
}
