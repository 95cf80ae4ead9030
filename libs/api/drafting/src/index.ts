export * from './lib/drafting.module';
export * from './lib/drafting.projection';
export * from './lib/proposals/proposal.commands';
export * from './lib/proposals/proposal-queries.service';
export * from './lib/submissions/submission.commands';
export * from './lib/proposals/proposal-context.service';
export { ProposalIdParam } from './lib/proposals/proposal.dto';
export * from './lib/submissions/submission-queries.service';
export * from './lib/co-sponsorship/co-sponsorship.commands';
