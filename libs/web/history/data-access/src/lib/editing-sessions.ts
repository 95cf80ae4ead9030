import type { NamedVersionDto, RevisionItemDto } from '@concord/contracts';

/** Consecutive revisions by one person with no pause longer than this form one editing session. */
export const SESSION_GAP_MS = 5 * 60 * 1000;

/** A run of revisions by one author: what a person did in one sitting. */
export interface EditingSession {
  /** Stable across pages: the first revision of the session. */
  key: string;
  userId: string;
  userName: string;
  /** First and last revision of the session (inclusive). */
  fromRevision: number;
  toRevision: number;
  revisionCount: number;
  startedAt: string;
  endedAt: string;
  /** Whether it holds the seed text or a restore (shown differently from plain typing). */
  kinds: readonly RevisionItemDto['kind'][];
  /** Named versions whose revision falls inside this session. */
  versions: readonly NamedVersionDto[];
}

/**
 * Groups revisions (in any order) into editing sessions: a new session starts when the author
 * changes, when the pause since the previous revision exceeds `gapMs`, or at a seed or restore
 * (which are events of their own). Returns the sessions newest first, as the timeline shows them.
 */
export function groupIntoSessions(
  revisions: readonly RevisionItemDto[],
  versions: readonly NamedVersionDto[] = [],
  gapMs = SESSION_GAP_MS,
): EditingSession[] {
  const ordered = [...revisions].sort((a, b) => a.revision - b.revision);
  const groups: RevisionItemDto[][] = [];
  for (const item of ordered) {
    const group = groups.at(-1);
    const last = group?.at(-1);
    const continues =
      group !== undefined &&
      last !== undefined &&
      last.userId === item.userId &&
      item.kind === 'edit' &&
      last.kind === 'edit' &&
      item.revision === last.revision + 1 &&
      Date.parse(item.at) - Date.parse(last.at) <= gapMs;
    if (continues) {
      group.push(item);
    } else {
      groups.push([item]);
    }
  }
  return groups
    .map((group) => {
      const first = group[0];
      const last = group[group.length - 1];
      return {
        key: `r${first.revision}`,
        userId: first.userId,
        userName: first.userName,
        fromRevision: first.revision,
        toRevision: last.revision,
        revisionCount: group.length,
        startedAt: first.at,
        endedAt: last.at,
        kinds: [...new Set(group.map((item) => item.kind))],
        versions: versions.filter((version) => version.revision >= first.revision && version.revision <= last.revision),
      };
    })
    .reverse();
}
