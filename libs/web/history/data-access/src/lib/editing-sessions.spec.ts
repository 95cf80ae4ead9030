import type { RevisionItemDto } from '@concord/contracts';
import { SESSION_GAP_MS, groupIntoSessions } from './editing-sessions';

const AMINA = { userId: 'u-amina', userName: 'Amina Rahman' };
const ROHAN = { userId: 'u-rohan', userName: 'Rohan Perera' };
const T0 = Date.parse('2026-11-30T09:00:00Z');

function rev(revision: number, who: typeof AMINA, secondsAfterT0: number, kind: RevisionItemDto['kind'] = 'edit'): RevisionItemDto {
  return { revision, ...who, at: new Date(T0 + secondsAfterT0 * 1000).toISOString(), kind };
}

describe('groupIntoSessions', () => {
  it('groups consecutive revisions by one author into a session, newest session first', () => {
    const sessions = groupIntoSessions([rev(1, AMINA, 0, 'seed'), rev(2, AMINA, 10), rev(3, AMINA, 12), rev(4, ROHAN, 20), rev(5, ROHAN, 21)]);

    expect(sessions.map((s) => [s.userName, s.fromRevision, s.toRevision, s.revisionCount])).toEqual([
      ['Rohan Perera', 4, 5, 2],
      ['Amina Rahman', 2, 3, 2],
      ['Amina Rahman', 1, 1, 1],
    ]);
    expect(sessions[0]).toMatchObject({ startedAt: rev(4, ROHAN, 20).at, endedAt: rev(5, ROHAN, 21).at, kinds: ['edit'] });
    expect(sessions[2].kinds).toEqual(['seed']);
  });

  it('starts a new session after a pause longer than five minutes', () => {
    const pause = SESSION_GAP_MS / 1000;
    const sessions = groupIntoSessions([rev(1, AMINA, 0), rev(2, AMINA, pause), rev(3, AMINA, 2 * pause + 1)]);
    expect(sessions.map((s) => [s.fromRevision, s.toRevision])).toEqual([
      [3, 3],
      [1, 2],
    ]);
  });

  it('starts a new session when another author edits in between', () => {
    const sessions = groupIntoSessions([rev(1, AMINA, 0), rev(2, ROHAN, 1), rev(3, AMINA, 2)]);
    expect(sessions.map((s) => s.userName)).toEqual(['Amina Rahman', 'Rohan Perera', 'Amina Rahman']);
  });

  it('keeps a restore apart from typing, and does not join across a gap in the loaded pages', () => {
    const sessions = groupIntoSessions([rev(1, AMINA, 0), rev(2, AMINA, 1, 'restore'), rev(3, AMINA, 2), rev(7, AMINA, 3)]);
    expect(sessions.map((s) => [s.fromRevision, s.toRevision, s.kinds.join()])).toEqual([
      [7, 7, 'edit'],
      [3, 3, 'edit'],
      [2, 2, 'restore'],
      [1, 1, 'edit'],
    ]);
  });

  it('accepts revisions in any order and marks the named versions inside each session', () => {
    const versions = [
      { revision: 2, label: 'Sent to chair', namedBy: 'u-amina', at: '2026-11-30T09:10:00Z' },
      { revision: 9, label: 'Elsewhere', namedBy: 'u-amina', at: '2026-11-30T09:10:00Z' },
    ];
    const sessions = groupIntoSessions([rev(3, ROHAN, 5), rev(2, AMINA, 1), rev(1, AMINA, 0)], versions);
    expect(sessions.map((s) => s.versions.map((v) => v.label))).toEqual([[], ['Sent to chair']]);
    expect(sessions.map((s) => s.key)).toEqual(['r3', 'r1']);
  });

  it('has nothing to group in an empty history', () => {
    expect(groupIntoSessions([])).toEqual([]);
  });
});
