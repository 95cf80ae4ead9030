import type { WorkspaceDto } from '@concord/contracts';

/** The user id the server records for events it writes itself (seeding, projections). */
export const SYSTEM_USER_ID = 'system';

export interface UserOption {
  userId: string;
  name: string;
  email: string;
}

/** Every member of the given workspaces once, sorted by name. */
export function membersOf(workspaces: readonly WorkspaceDto[]): UserOption[] {
  const byId = new Map<string, UserOption>();
  for (const workspace of workspaces) {
    for (const member of workspace.members) {
      byId.set(member.userId, { userId: member.userId, name: member.name, email: member.email });
    }
  }
  return [...byId.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** A person's name for a recorded user id: a member's name, "System", or the id itself when unknown. */
export function userNameResolver(members: readonly UserOption[]): (userId: string) => string {
  const names = new Map(members.map((m) => [m.userId, m.name]));
  return (userId) => {
    if (userId === SYSTEM_USER_ID) {
      return $localize`:@@audit.systemUser:System`;
    }
    return names.get(userId) ?? userId;
  };
}
