import { Module, OnModuleInit } from '@nestjs/common';
import { ProjectionRegistry } from '@concord/api/platform';
import { DraftingModule } from '@concord/api/drafting';
import { ActOnThreadHandler } from './thread-command.handler';
import { ThreadQueries } from './thread-queries.service';
import { ThreadsController } from './threads.controller';
import { threadsProjection } from './threads.projection';

/** Review inside the text: comment threads anchored to words (suggestions and the amendment list to come). */
@Module({
  imports: [DraftingModule],
  controllers: [ThreadsController],
  providers: [ThreadQueries, ActOnThreadHandler],
})
export class ReviewModule implements OnModuleInit {
  constructor(private readonly projections: ProjectionRegistry) {}

  onModuleInit(): void {
    this.projections.register(threadsProjection);
  }
}
