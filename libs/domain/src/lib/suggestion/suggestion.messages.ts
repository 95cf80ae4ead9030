import type { Event } from '../shared/decider';

/**
 * The suggestions (track changes) of a proposal's text, as events of `proposal-<id>-suggestions`.
 * No one sends these as commands: the server derives them from the recorded content updates (a
 * suggestion mark appears, its words change, it leaves the text), so they can never disagree with
 * the text; each is attributed (metadata.userId) to the writer of the update that did it, and
 * names the content revision of that update.
 */
interface SuggestionFacts {
  readonly proposalId: string;
  readonly suggestionId: string;
  /** Words proposed for deletion and words proposed, as they read at that revision. */
  readonly textBefore: string;
  readonly textAfter: string;
  /** The content revision of the update that did it. */
  readonly revision: number;
}

export type SuggestionMade = Event<'SuggestionMade', SuggestionFacts & { authorId: string; kind: 'insertion' | 'deletion' | 'replacement' }>;
/** Its words changed while it was open (reported at most once per pass of the server over new updates). */
export type SuggestionRevised = Event<'SuggestionRevised', SuggestionFacts>;
/** Its change was taken into the text (proposed words kept, or words proposed for deletion deleted). */
export type SuggestionAccepted = Event<'SuggestionAccepted', SuggestionFacts>;
/** Undone by someone other than its author. */
export type SuggestionRejected = Event<'SuggestionRejected', SuggestionFacts>;
/** Undone by its own author. */
export type SuggestionWithdrawn = Event<'SuggestionWithdrawn', SuggestionFacts>;
export type SuggestionEvent = SuggestionMade | SuggestionRevised | SuggestionAccepted | SuggestionRejected | SuggestionWithdrawn;
