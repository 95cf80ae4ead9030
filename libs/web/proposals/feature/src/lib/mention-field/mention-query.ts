import type { MentionableMemberDto } from '@concord/contracts';

/** The `@letters` being typed right before the caret: where the `@` is and what follows it. */
export interface MentionQuery {
  start: number;
  end: number;
  text: string;
}

/** Letters, then letters, spaces, dots, hyphens and apostrophes (names like "Al Mansoori", "O'Neil"). */
const QUERY = /^\p{L}[\p{L}\p{M} .'’-]{0,59}$/u;
/** How many members the list shows at most. */
const MAX_SHOWN = 8;

/**
 * The mention being typed at `caret` in `value`: an `@` at the start or after a space or an opening
 * bracket (not inside an e-mail address), followed by at least one letter. Null otherwise.
 */
export function mentionQueryAt(value: string, caret: number): MentionQuery | null {
  const before = value.slice(0, caret);
  const start = before.lastIndexOf('@');
  if (start < 0 || (start > 0 && !/[\s(]/.test(before[start - 1]))) return null;
  const text = before.slice(start + 1);
  return QUERY.test(text) ? { start, end: caret, text } : null;
}

const folded = (text: string) => text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

/**
 * The members whose name, or a word of it, starts with `query` (ignoring case and accents): whole
 * name matches first, then by name; at most eight.
 */
export function membersMatching(members: readonly MentionableMemberDto[], query: string): MentionableMemberDto[] {
  const wanted = folded(query);
  const rank = (member: MentionableMemberDto) => {
    const name = folded(member.name);
    if (name.startsWith(wanted)) return 0;
    return name.split(/[\s()]+/).some((word) => word.startsWith(wanted)) ? 1 : -1;
  };
  return members
    .map((member) => ({ member, rank: rank(member) }))
    .filter(({ rank }) => rank >= 0)
    .sort((a, b) => a.rank - b.rank || a.member.name.localeCompare(b.member.name))
    .slice(0, MAX_SHOWN)
    .map(({ member }) => member);
}

/** `value` with the query replaced by `@Full Name ` and where the caret goes after it. */
export function insertMention(value: string, query: MentionQuery, member: MentionableMemberDto): { value: string; caret: number } {
  const rest = value.slice(query.end).replace(/^ /, '');
  const tag = `@${member.name} `;
  return { value: value.slice(0, query.start) + tag + rest, caret: query.start + tag.length };
}

/** The option highlighted after an arrow key in a list of `count` options (wrapping round); null for other keys. */
export function movedHighlight(key: string, current: number, count: number): number | null {
  if (count === 0) return null;
  if (key === 'ArrowDown') return (current + 1) % count;
  if (key === 'ArrowUp') return (current - 1 + count) % count;
  return null;
}
