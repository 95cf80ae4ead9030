import { Module, OnModuleInit } from '@nestjs/common';
import { ProjectionRegistry } from '@concord/api/platform';
import { DraftingModule } from '@concord/api/drafting';
import { ActOnThreadHandler } from './thread-command.handler';
import { ThreadQueries } from './thread-queries.service';
import { ThreadsController } from './threads.controller';
import { threadsProjection } from './threads.projection';
import { AmendmentQueries } from './amendment-queries.service';
import { AmendmentsController } from './amendments.controller';
import { amendmentsProjection } from './amendments.projection';
import { SuggestionTracker } from './suggestion-tracker.service';

/**
 * Review inside the text: comment threads anchored to words, and the amendment list — the
 * suggestion events the server derives from the text (SuggestionTracker) and their projection.
 */
@Module({
  imports: [DraftingModule],
  controllers: [ThreadsController, AmendmentsController],
  providers: [ThreadQueries, ActOnThreadHandler, AmendmentQueries, SuggestionTracker],
  exports: [SuggestionTracker, ThreadQueries],
})
export class ReviewModule implements OnModuleInit {
  constructor(private readonly projections: ProjectionRegistry) {}

  onModuleInit(): void {
    this.projections.register(threadsProjection);
    this.projections.register(amendmentsProjection);
  }
}
