import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { CollabServer } from '@concord/collab';
import { CONTENT_FENCE, CONTENT_HISTORY } from '@concord/api/platform';
import { DraftingModule } from '@concord/api/drafting';
import { AccessWatcher } from './access-watcher.service';
import { CollabContentHistory } from './collab-content-history';
import { COLLAB_SERVER, collabServerProvider } from './collab.provider';
import { ContentFenceService } from './content-fence.service';
import { ContentHashTracker } from './content-hash-tracker.service';
import { CollabTicketsController } from './collab-tickets.controller';
import { HistoryController } from './history.controller';
import { HistoryService } from './history.service';

/**
 * Co-editing and its history: hosts the y-websocket endpoint (attached to the HTTP server by the
 * app), provides the content facts other modules decide with, and serves revisions and diffs.
 */
@Global()
@Module({
  imports: [DraftingModule],
  controllers: [HistoryController, CollabTicketsController],
  providers: [
    collabServerProvider,
    CollabContentHistory,
    { provide: CONTENT_HISTORY, useExisting: CollabContentHistory },
    ContentHashTracker,
    HistoryService,
    ContentFenceService,
    { provide: CONTENT_FENCE, useExisting: ContentFenceService },
    AccessWatcher,
  ],
  exports: [COLLAB_SERVER, CONTENT_HISTORY, CONTENT_FENCE, ContentHashTracker],
})
export class HistoryModule implements OnApplicationShutdown {
  constructor(@Inject(COLLAB_SERVER) private readonly collab: CollabServer) {}

  async onApplicationShutdown(): Promise<void> {
    await this.collab.close();
  }
}
