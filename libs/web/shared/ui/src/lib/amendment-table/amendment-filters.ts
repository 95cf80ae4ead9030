import type { AmendmentDto, AmendmentStatus, MemberStateDto } from '@concord/contracts';

export type AmendmentStatusFilter = AmendmentStatus | 'all';

/** What the amendment table shows: by status, and by the author's member state ('' for all). */
export interface AmendmentSelection {
  readonly status: AmendmentStatusFilter;
  readonly memberState: string;
}

export const AMENDMENT_STATUSES: readonly AmendmentStatus[] = ['open', 'accepted', 'rejected', 'withdrawn'];

const STATUS_LABELS: Record<AmendmentStatus, string> = {
  open: $localize`:@@amendments.status.open:Open`,
  accepted: $localize`:@@amendments.status.accepted:Accepted`,
  rejected: $localize`:@@amendments.status.rejected:Rejected`,
  withdrawn: $localize`:@@amendments.status.withdrawn:Withdrawn`,
};

export function amendmentStatusLabel(status: AmendmentStatus): string {
  return STATUS_LABELS[status] ?? status;
}

/** The member states of the amendments' authors, by name. */
export function amendmentMemberStates(amendments: readonly AmendmentDto[]): MemberStateDto[] {
  const states = new Map<string, MemberStateDto>();
  for (const { author } of amendments) {
    if (author.memberState) states.set(author.memberState.code, author.memberState);
  }
  return [...states.values()].sort((a, b) => a.name.localeCompare(b.name));
}

export function amendmentsShown(amendments: readonly AmendmentDto[], { status, memberState }: AmendmentSelection): AmendmentDto[] {
  return amendments.filter(
    (amendment) => (status === 'all' || amendment.status === status) && (!memberState || amendment.author.memberState?.code === memberState),
  );
}

export interface AmendmentLink {
  readonly commands: readonly string[];
  readonly queryParams: Readonly<Record<string, string | number>>;
}

/** The live text with the suggestion's words selected (the editor reads `?suggestion=`). */
export function textLink(amendment: AmendmentDto): AmendmentLink {
  return { commands: ['/proposals', amendment.proposalId], queryParams: { suggestion: amendment.id } };
}

/**
 * The history panel comparing the revision before the suggestion with its last step (made, last
 * revised, or decided): its whole story in one diff, with its outcome listed under it.
 */
export function historyLink(amendment: AmendmentDto): AmendmentLink {
  const from = Math.max(0, amendment.madeRevision - 1);
  return { commands: ['/proposals', amendment.proposalId, 'history'], queryParams: { from, to: Math.max(from, amendment.lastRevision ?? amendment.madeRevision) } };
}

/** "Co-sponsored by India, United Arab Emirates" (the server gives them alphabetical), or '' when no member state co-sponsors the proposal. */
export function coSponsorsLabel(amendment: Pick<AmendmentDto, 'proposalCoSponsors'>): string {
  const names = (amendment.proposalCoSponsors ?? []).map((state) => state.name);
  return names.length ? $localize`:@@amendments.coSponsoredBy:Co-sponsored by ${names.join(', ')}:states:` : '';
}
