import type { MemberStateDto } from './workspace.contracts';

/**
 * What became of a suggestion: still in the text (`open`), its change taken into the text
 * (`accepted`), turned down by someone else (`rejected`), or taken back by its own author
 * (`withdrawn`).
 */
export type AmendmentStatus = 'open' | 'accepted' | 'rejected' | 'withdrawn';

/** Proposed words only, words proposed for deletion only, or both under one suggestion id. */
export type AmendmentKind = 'insertion' | 'deletion' | 'replacement';

export interface AmendmentPersonDto {
  userId: string;
  /** Display name, "Name (State)" for delegates. */
  name: string;
  memberState: MemberStateDto | null;
}

/**
 * One suggestion (track change) of a proposal's text, as the log tells it: the server derives
 * `SuggestionMade` and `SuggestionAccepted` / `Rejected` / `Withdrawn` events from the recorded
 * content updates (`proposal-<id>-suggestions` stream); this is their projection.
 * `GET /api/proposals/<id>/amendments`, `GET /api/submissions/<id>/amendments`.
 */
export interface AmendmentDto {
  /** The suggestion id carried by its marks in the text. */
  id: string;
  proposalId: string;
  proposalTitle: string;
  /** The member states co-sponsoring the amendment's proposal now, alphabetical by name (issue 14 §4). */
  proposalCoSponsors: MemberStateDto[];
  kind: AmendmentKind;
  author: AmendmentPersonDto;
  /** Words proposed for deletion ('' for an insertion), as they read last. */
  textBefore: string;
  /** Words proposed ('' for a deletion), as they read last. */
  textAfter: string;
  /** The content revision that first recorded the suggestion. */
  madeRevision: number;
  /** The revision of its last step: made, its words last revised, or decided (the end of its story in a diff). */
  lastRevision: number;
  madeAt: string;
  status: AmendmentStatus;
  /** Who accepted, rejected or withdrew it (the writer of the update that did), when, at which revision. */
  decidedBy: AmendmentPersonDto | null;
  decidedAt: string | null;
  decidedRevision: number | null;
}
