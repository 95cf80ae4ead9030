import type { MemberStateDto } from '@concord/contracts';
import type { SuggestionInText } from '../proposal-editor/suggestion-mode';

export interface SuggestionGroup {
  /** The author's user id, or the member state's code. */
  readonly key: string;
  readonly name: string;
  readonly suggestions: readonly SuggestionInText[];
}

/** The open suggestions of each author, in the order their first suggestion stands in the text. */
export function groupByAuthor(suggestions: readonly SuggestionInText[], nameOf: (userId: string) => string): SuggestionGroup[] {
  return group(suggestions, (suggestion) => ({ key: suggestion.authorId, name: nameOf(suggestion.authorId) }));
}

/** The open suggestions of the delegates of each member state, by state name; authors who represent none are left out. */
export function groupByMemberState(
  suggestions: readonly SuggestionInText[],
  memberStateOf: (userId: string) => MemberStateDto | null,
): SuggestionGroup[] {
  return group(suggestions, (suggestion) => {
    const state = memberStateOf(suggestion.authorId);
    return state ? { key: state.code, name: state.name } : null;
  }).sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * "Priya Sharma (India)": a delegate's display name usually carries their member state already;
 * the state is added only when it does not.
 */
export function authorLabel(name: string, memberState: MemberStateDto | null): string {
  return memberState && !name.includes(`(${memberState.name})`) ? `${name} (${memberState.name})` : name;
}

function group(
  suggestions: readonly SuggestionInText[],
  keyOf: (suggestion: SuggestionInText) => { key: string; name: string } | null,
): SuggestionGroup[] {
  const groups = new Map<string, { key: string; name: string; suggestions: SuggestionInText[] }>();
  for (const suggestion of suggestions) {
    const found = keyOf(suggestion);
    if (!found) continue;
    const entry = groups.get(found.key) ?? { ...found, suggestions: [] };
    entry.suggestions.push(suggestion);
    groups.set(found.key, entry);
  }
  return [...groups.values()];
}
