import type { AuditEventDto, UserDto, WorkspaceDto } from '@concord/contracts';
import { SESSION_STORAGE, SESSION_STORAGE_KEY } from '@concord/web/core/data-access';

export const AUDITOR: UserDto = {
  id: 'u-auditor',
  email: 'auditor@concord.demo',
  name: 'Jonas Lindqvist',
  isAdmin: false,
  memberships: [{ iscmId: 'add', iscmName: 'Abu Dhabi Dialogue', roles: ['auditor'] }],
};

export const WORKSPACES: WorkspaceDto[] = [
  {
    id: 'add',
    abbreviation: 'ADD',
    name: 'Abu Dhabi Dialogue',
    type: 'IRF',
    members: [
      { userId: 'u-drafter', name: 'Amina Rahman', email: 'drafter1@concord.demo', roles: ['drafter'], memberState: null },
      { userId: 'u-auditor', name: 'Jonas Lindqvist', email: 'auditor@concord.demo', roles: ['auditor'], memberState: null },
    ],
  },
  {
    id: 'bp',
    abbreviation: 'BP',
    name: 'Bali Process',
    type: 'RCP',
    members: [{ userId: 'u-chair', name: 'Fatima Al Mansoori', email: 'chair@concord.demo', roles: ['chair'], memberState: null }],
  },
];

export function auditEvent(position: number, extra: Partial<AuditEventDto> = {}): AuditEventDto {
  const at = new Date(Date.UTC(2026, 0, 1, 12, 0, position)).toISOString();
  return {
    position,
    stream: 'proposal-p1',
    revision: position - 1,
    type: 'ProposalDetailsChanged',
    userId: 'u-drafter',
    at,
    data: { title: `Title ${position}` },
    metadata: { userId: 'u-drafter', at, eventId: `e-${position}`, prevHash: 'a'.repeat(64), hash: 'b'.repeat(64) },
    ...extra,
  };
}

/** A session for `user`, as the AuthStore reads it. */
export function sessionStorageFor(user: UserDto) {
  const session = JSON.stringify({ accessToken: 't', expiresAt: Date.now() + 60_000, user });
  return {
    provide: SESSION_STORAGE,
    useValue: { getItem: (key: string) => (key === SESSION_STORAGE_KEY ? session : null), setItem: () => undefined, removeItem: () => undefined },
  };
}
