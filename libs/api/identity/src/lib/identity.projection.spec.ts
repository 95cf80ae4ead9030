import { MemoryEventStore } from '@concord/event-store';
import { ProjectionRunner, SqliteReadModelDatabase, UserDirectory } from '@concord/api/platform';
import pino from 'pino';
import { identityProjection } from './identity.projection';

describe('identity projection', () => {
  it('keeps users and each member role, and removes roles taken away', async () => {
    const store = new MemoryEventStore();
    const db = new SqliteReadModelDatabase(':memory:');
    const runner = new ProjectionRunner(store, db, [identityProjection], pino({ level: 'silent' }));
    await runner.start();
    const meta = { userId: 'system' };
    await store.append('user-u1', [
      { id: 'e1', type: 'UserRegistered', data: { userId: 'u1', email: 'a@b.c', name: 'Amina', passwordHash: 'h', isAdmin: false }, metadata: meta },
    ]);
    await store.append('iscm-add', [
      { id: 'e2', type: 'WorkspaceRegistered', data: { iscmId: 'add', abbreviation: 'ADD', name: 'Abu Dhabi Dialogue', type: 'IRF' }, metadata: meta },
      { id: 'e3', type: 'MemberAdded', data: { iscmId: 'add', userId: 'u1', role: 'drafter' }, metadata: meta },
      { id: 'e4', type: 'MemberAdded', data: { iscmId: 'add', userId: 'u1', role: 'chair' }, metadata: meta },
      { id: 'e5', type: 'MemberRoleChanged', data: { iscmId: 'add', userId: 'u1', from: 'chair', to: 'auditor' }, metadata: meta },
    ]);
    const { position } = await store.append('iscm-add', [
      { id: 'e6', type: 'MemberRemoved', data: { iscmId: 'add', userId: 'u1', roles: ['drafter'] }, metadata: meta },
    ]);
    await runner.waitForPosition(position);
    expect(await db.query('SELECT email, name, is_admin, disabled FROM rm_users')).toEqual([{ email: 'a@b.c', name: 'Amina', is_admin: 0, disabled: 0 }]);
    expect(await db.query('SELECT role FROM rm_members ORDER BY role')).toEqual([{ role: 'auditor' }]);
    await runner.stop();
    await db.close();
  });

  it('keeps the member state on a delegate membership, and drops it with the role', async () => {
    const store = new MemoryEventStore();
    const db = new SqliteReadModelDatabase(':memory:');
    const runner = new ProjectionRunner(store, db, [identityProjection], pino({ level: 'silent' }));
    await runner.start();
    const meta = { userId: 'system' };
    await store.append('iscm-abu-dhabi-dialogue', [
      { id: 'e1', type: 'WorkspaceRegistered', data: { iscmId: 'abu-dhabi-dialogue', abbreviation: 'ADD', name: 'Abu Dhabi Dialogue', type: 'IRF' }, metadata: meta },
      { id: 'e2', type: 'MemberAdded', data: { iscmId: 'abu-dhabi-dialogue', userId: 'u1', role: 'delegate', memberState: 'IN' }, metadata: meta },
      { id: 'e3', type: 'MemberAdded', data: { iscmId: 'abu-dhabi-dialogue', userId: 'u2', role: 'drafter' }, metadata: meta },
      { id: 'e4', type: 'MemberRoleChanged', data: { iscmId: 'abu-dhabi-dialogue', userId: 'u2', from: 'drafter', to: 'delegate', memberState: 'AE' }, metadata: meta },
      { id: 'e5', type: 'MemberAdded', data: { iscmId: 'abu-dhabi-dialogue', userId: 'u3', role: 'delegate', memberState: 'PH' }, metadata: meta },
    ]);
    for (const [userId, name] of [['u1', 'Priya Sharma'], ['u2', 'Khalid Al Hammadi'], ['u3', 'Maria Santos']]) {
      await store.append(`user-${userId}`, [
        { id: `r-${userId}`, type: 'UserRegistered', data: { userId, email: `${userId}@example.org`, name, passwordHash: 'h', isAdmin: false }, metadata: meta },
      ]);
    }
    const { position } = await store.append('iscm-abu-dhabi-dialogue', [
      { id: 'e6', type: 'MemberRoleChanged', data: { iscmId: 'abu-dhabi-dialogue', userId: 'u3', from: 'delegate', to: 'auditor' }, metadata: meta },
    ]);
    await runner.waitForPosition(position);
    expect(await db.query('SELECT user_id, role, member_state FROM rm_members ORDER BY user_id')).toEqual([
      { user_id: 'u1', role: 'delegate', member_state: 'IN' },
      { user_id: 'u2', role: 'delegate', member_state: 'AE' },
      { user_id: 'u3', role: 'auditor', member_state: null },
    ]);
    const names = await new UserDirectory(db).displayNamesIn('abu-dhabi-dialogue', ['u1', 'u2', 'u3', 'nobody']);
    expect(Object.fromEntries(names)).toEqual({
      u1: 'Priya Sharma (India)',
      u2: 'Khalid Al Hammadi (United Arab Emirates)',
      u3: 'Maria Santos',
    });
    expect((await new UserDirectory(db).displayNamesIn('colombo-process', ['u1'])).get('u1')).toBe('Priya Sharma');
    const people = await new UserDirectory(db).peopleIn('abu-dhabi-dialogue', ['u1', 'u3']);
    expect(Object.fromEntries(people)).toEqual({
      u1: { name: 'Priya Sharma (India)', memberState: { code: 'IN', name: 'India' } },
      u3: { name: 'Maria Santos', memberState: null },
    });
    await runner.stop();
    await db.close();
  });
});
