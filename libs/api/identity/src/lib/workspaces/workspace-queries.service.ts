import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { Role, WorkspaceDto } from '@concord/contracts';
import { memberStatesOf } from '@concord/reference';
import { displayName, memberStateIn, Principal, READ_MODEL_DATABASE, ReadModelDatabase } from '@concord/api/platform';

interface WorkspaceRow {
  id: string;
  abbreviation: string;
  name: string;
  type: WorkspaceDto['type'];
  approval_needs_closed_review: number | boolean;
  chair_cannot_approve_own_text: number | boolean;
  approval_rule: string | null;
}

interface MemberRow {
  iscm_id: string;
  user_id: string;
  name: string;
  email: string;
  role: Role;
  member_state: string | null;
  disabled: number | boolean;
}

@Injectable()
export class WorkspaceQueries {
  constructor(@Inject(READ_MODEL_DATABASE) private readonly db: ReadModelDatabase) {}

  /** The workspaces the caller belongs to (an administrator sees all). */
  async visibleTo(principal: Principal): Promise<WorkspaceDto[]> {
    const workspaces = principal.isAdmin
      ? await this.db.query<WorkspaceRow>('SELECT id, abbreviation, name, type, approval_needs_closed_review, chair_cannot_approve_own_text, approval_rule FROM rm_workspaces ORDER BY name')
      : await this.db.query<WorkspaceRow>(
          `SELECT DISTINCT w.id, w.abbreviation, w.name, w.type, w.approval_needs_closed_review, w.chair_cannot_approve_own_text, w.approval_rule FROM rm_workspaces w
           JOIN rm_members m ON m.iscm_id = w.id WHERE m.user_id = ? ORDER BY w.name`,
          [principal.userId],
        );
    return Promise.all(workspaces.map((workspace) => this.withMembers(workspace)));
  }

  async one(iscmId: string, principal: Principal): Promise<WorkspaceDto> {
    const visible = await this.visibleTo(principal);
    const workspace = visible.find((w) => w.id === iscmId);
    if (!workspace) throw new NotFoundException(`Workspace ${iscmId} does not exist or you are not a member`);
    return workspace;
  }

  private async withMembers(workspace: WorkspaceRow): Promise<WorkspaceDto> {
    const rows = await this.db.query<MemberRow>(
      `SELECT m.iscm_id, m.user_id, u.name, u.email, m.role, m.member_state, u.disabled FROM rm_members m JOIN rm_users u ON u.id = m.user_id
       WHERE m.iscm_id = ? ORDER BY u.name, m.role`,
      [workspace.id],
    );
    const members = new Map<string, { row: MemberRow; roles: Role[]; memberState: string | null }>();
    for (const row of rows) {
      const member = members.get(row.user_id) ?? { row, roles: [], memberState: null };
      member.roles.push(row.role);
      member.memberState ??= row.member_state;
      members.set(row.user_id, member);
    }
    const { approval_needs_closed_review: closedReview, chair_cannot_approve_own_text: ownText, approval_rule: rule, ...fields } = workspace;
    const approvalRule = rule ? (JSON.parse(rule) as { approvers: string[]; required: number }) : null;
    const nameOf = new Map([...members.values()].map(({ row, memberState }) => [row.user_id, displayName(row.name, memberStateIn(workspace.id, memberState))]));
    return {
      ...fields,
      approvalNeedsClosedReview: Number(closedReview) === 1,
      chairCannotApproveOwnText: Number(ownText) === 1,
      approvalRule: approvalRule && {
        approvers: approvalRule.approvers.map((userId) => ({ userId, name: nameOf.get(userId) ?? userId })),
        required: approvalRule.required,
      },
      memberStates: memberStatesOf(workspace.id).map(({ code, name }) => ({ code, name })),
      members: [...members.values()].map(({ row, roles, memberState: code }) => {
        const memberState = memberStateIn(workspace.id, code);
        return {
          userId: row.user_id,
          name: displayName(row.name, memberState),
          email: row.email,
          roles,
          memberState,
          disabled: Number(row.disabled) === 1,
        };
      }),
    };
  }
}
