import { Module } from '@nestjs/common';
import { CollabModule } from '@concord/api/collab';
import { DraftingModule } from '@concord/api/drafting';
import { HistoryController } from './history.controller';
import { HistoryService } from './history.service';

/** The revision history of a proposal's text over REST: timeline, revisions, diffs and restore. */
@Module({
  imports: [CollabModule, DraftingModule],
  controllers: [HistoryController],
  providers: [HistoryService],
})
export class HistoryModule {}
