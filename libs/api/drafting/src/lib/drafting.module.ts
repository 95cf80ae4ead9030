import { Module, OnModuleInit } from '@nestjs/common';
import { ProjectionRegistry } from '@concord/api/platform';
import { ConsultationsController } from './consultations/consultations.controller';
import { draftingProjection } from './drafting.projection';
import { DraftingContext } from './proposals/proposal-context.service';
import { ActOnProposalHandler, CreateProposalHandler, ImportProposalHandler } from './proposals/proposal-command.handlers';
import { ProposalImportController } from './proposals/proposal-import.controller';
import { ProposalQueries } from './proposals/proposal-queries.service';
import { ProposalsController } from './proposals/proposals.controller';
import { ActOnSubmissionHandler, AddSectionIntroductionHandler } from './submissions/submission-command.handler';
import { SubmissionQueries } from './submissions/submission-queries.service';
import { SubmissionsController } from './submissions/submissions.controller';
import { SilenceDeadlines } from './silence/silence-deadlines.service';
import { ActOnSilenceHandler, AdoptSilenceHandler, AdoptSubmissionSilenceHandler, SILENCE_CLOCK } from './silence/silence.handlers';
import { ActOnCoSponsorshipHandler } from './co-sponsorship/co-sponsorship.handler';
import { CoSponsorsController } from './co-sponsorship/co-sponsors.controller';
import { coSponsorsProjection } from './co-sponsorship/co-sponsors.projection';

/** Submissions to GCM consultations and the practical approach proposals they hold. */
@Module({
  controllers: [SubmissionsController, ProposalsController, ConsultationsController, ProposalImportController, CoSponsorsController],
  providers: [DraftingContext, ProposalQueries, SubmissionQueries, CreateProposalHandler, ImportProposalHandler, ActOnProposalHandler, ActOnSubmissionHandler, AddSectionIntroductionHandler,
    ActOnSilenceHandler, AdoptSilenceHandler, AdoptSubmissionSilenceHandler, SilenceDeadlines, { provide: SILENCE_CLOCK, useValue: () => new Date() },
    ActOnCoSponsorshipHandler],
  exports: [ProposalQueries, SubmissionQueries, DraftingContext],
})
export class DraftingModule implements OnModuleInit {
  constructor(private readonly projections: ProjectionRegistry) {}

  onModuleInit(): void {
    this.projections.register(draftingProjection);
    this.projections.register(coSponsorsProjection);
  }
}
