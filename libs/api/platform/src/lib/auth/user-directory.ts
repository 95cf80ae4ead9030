import { Inject, Injectable } from '@nestjs/common';
import type { MemberStateDto, Role } from '@concord/contracts';
import { READ_MODEL_DATABASE, ReadModelDatabase } from '../read-model/read-model-database';
import { displayName, memberStateIn } from './display-name';

export interface DirectoryUser {
  id: string;
  email: string;
  name: string;
  passwordHash: string;
  isAdmin: boolean;
  disabled: boolean;
}

interface UserRow {
  id: string;
  email: string;
  name: string;
  password_hash: string;
  is_admin: number;
  disabled: number;
}

/** A user as other members of one workspace see them. */
export interface WorkspacePerson {
  /** `displayName`: a delegate's carries their member state. */
  name: string;
  /** The member state a delegate of the workspace represents; null for anyone else. */
  memberState: MemberStateDto | null;
}

const toUser = (row: UserRow): DirectoryUser => ({
  id: row.id,
  email: row.email,
  name: row.name,
  passwordHash: row.password_hash,
  isAdmin: Boolean(row.is_admin),
  disabled: Boolean(row.disabled),
});

/**
 * Users and workspace roles as the identity projection holds them. Roles are read on every request,
 * so a removed member loses access at once, whatever their token says.
 */
@Injectable()
export class UserDirectory {
  constructor(@Inject(READ_MODEL_DATABASE) private readonly db: ReadModelDatabase) {}

  async byId(id: string): Promise<DirectoryUser | undefined> {
    const [row] = await this.db.query<UserRow>('SELECT * FROM rm_users WHERE id = ?', [id]);
    return row && toUser(row);
  }

  async byEmail(email: string): Promise<DirectoryUser | undefined> {
    const [row] = await this.db.query<UserRow>('SELECT * FROM rm_users WHERE email = ?', [email.trim().toLowerCase()]);
    return row && toUser(row);
  }

  /**
   * The names of users as other members of `iscmId` see them (`displayName`: a delegate's carries
   * their member state). Users not found are left out.
   */
  async displayNamesIn(iscmId: string, ids: string[]): Promise<Map<string, string>> {
    const people = await this.peopleIn(iscmId, ids);
    return new Map([...people].map(([id, person]) => [id, person.name]));
  }

  /** Users as members of `iscmId` see them: display name and, for its delegates, member state. Users not found are left out. */
  async peopleIn(iscmId: string, ids: string[]): Promise<Map<string, WorkspacePerson>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db.query<{ id: string; name: string; member_state: string | null }>(
      `SELECT u.id, u.name, m.member_state FROM rm_users u
       LEFT JOIN rm_members m ON m.user_id = u.id AND m.iscm_id = ? AND m.role = 'delegate'
       WHERE u.id IN (${ids.map(() => '?').join(',')})`,
      [iscmId, ...ids],
    );
    return new Map(
      rows.map((row) => {
        const memberState = memberStateIn(iscmId, row.member_state);
        return [row.id, { name: displayName(row.name, memberState), memberState }];
      }),
    );
  }

  async rolesIn(userId: string, iscmId: string): Promise<Role[]> {
    const rows = await this.db.query<{ role: Role }>(
      'SELECT role FROM rm_members WHERE user_id = ? AND iscm_id = ? ORDER BY role',
      [userId, iscmId],
    );
    return rows.map((row) => row.role);
  }

  /** Every workspace the user belongs to, with the roles held there. */
  async memberships(userId: string): Promise<{ iscmId: string; iscmName: string; roles: Role[] }[]> {
    const rows = await this.db.query<{ iscm_id: string; name: string; role: Role }>(
      `SELECT m.iscm_id, w.name, m.role FROM rm_members m JOIN rm_workspaces w ON w.id = m.iscm_id
       WHERE m.user_id = ? ORDER BY w.name, m.role`,
      [userId],
    );
    const byWorkspace = new Map<string, { iscmId: string; iscmName: string; roles: Role[] }>();
    for (const row of rows) {
      const entry = byWorkspace.get(row.iscm_id) ?? { iscmId: row.iscm_id, iscmName: row.name, roles: [] };
      entry.roles.push(row.role);
      byWorkspace.set(row.iscm_id, entry);
    }
    return [...byWorkspace.values()];
  }
}
