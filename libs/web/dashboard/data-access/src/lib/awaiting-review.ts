import type { MembershipDto, ProposalSummaryDto, UserDto, WorkspaceDto } from '@concord/contracts';

/** The workspaces in which `user` is a chair, from their memberships and the workspaces' member lists. */
export function chairWorkspaceIds(
  user: Pick<UserDto, 'id'> & { memberships: readonly MembershipDto[] },
  workspaces: readonly WorkspaceDto[],
): ReadonlySet<string> {
  const ids = new Set(user.memberships.filter((m) => m.roles.includes('chair')).map((m) => m.iscmId));
  for (const workspace of workspaces) {
    const me = workspace.members.find((member) => member.userId === user.id);
    if (me?.roles.includes('chair')) {
      ids.add(workspace.id);
    }
  }
  return ids;
}

/** Proposals in review in the workspaces where the user chairs: what waits for their decision. */
export function awaitingReview(
  proposals: readonly ProposalSummaryDto[],
  chairedWorkspaceIds: ReadonlySet<string>,
): ProposalSummaryDto[] {
  return proposals.filter((p) => p.status === 'in_review' && chairedWorkspaceIds.has(p.iscmId));
}
