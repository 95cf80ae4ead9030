import type { Principal } from '@concord/api/platform';
import type { ThreadAnchorDto } from '@concord/contracts';

export type ThreadAction =
  | { type: 'OpenThread'; threadId: string; anchor: ThreadAnchorDto; quote: string; body: string; mentions: string[] }
  | { type: 'ReplyToThread'; threadId: string; replyId: string; body: string; mentions: string[] }
  | { type: 'ResolveThread'; threadId: string }
  | { type: 'ReopenThread'; threadId: string };

/** One thread action on a proposal, by the signed-in user. */
export class ActOnThreadCommand {
  constructor(
    readonly proposalId: string,
    readonly principal: Principal,
    readonly action: ThreadAction,
  ) {}
}
