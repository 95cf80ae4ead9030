import { NOTIFICATION_KINDS } from '@concord/contracts';
import { APPROVAL_STALE, NOTIFYING_EVENT_TYPES, NotificationFacts, notificationsFor } from './notification-derivation';

const proposal = { proposalId: 'p1', iscmId: 'adb', submissionId: 's1', title: 'Fair recruitment', createdBy: 'drafter1', approvedBy: null };
const facts = (more: Partial<NotificationFacts> = {}): NotificationFacts => ({
  proposal,
  chairs: ['chair1', 'chair2'],
  drafters: ['drafter1', 'drafter2'],
  delegates: ['delegate1', 'delegate2'],
  textAuthors: ['drafter2'],
  threadParticipants: [],
  actorName: 'Ana',
  workspaceName: 'Abu Dhabi Dialogue',
  ...more,
});
const to = (list: { recipientId: string }[]) => list.map((n) => n.recipientId).sort();
const kinds = (list: { kind: string }[]) => [...new Set(list.map((n) => n.kind))];

describe('notificationsFor', () => {
  it('tells the chairs a review was requested, not the drafter who asked', () => {
    const out = notificationsFor({ type: 'ProposalSentForReview', data: { proposalId: 'p1', revision: 3 }, actorId: 'drafter1' }, facts());
    expect(to(out)).toEqual(['chair1', 'chair2']);
    expect(out[0]).toMatchObject({ kind: 'review-requested', iscmId: 'adb', proposalId: 'p1', submissionId: 's1', link: '/proposals/p1' });
    expect(out[0].body).toContain('revision 3');
  });

  it('tells the authors (creator and drafters who wrote) of changes requested and approval, never the chair who acted', () => {
    const changes = notificationsFor({ type: 'ChangesRequested', data: { proposalId: 'p1', revision: 2, comment: 'Cite C189.' }, actorId: 'chair1' }, facts());
    expect(to(changes)).toEqual(['drafter1', 'drafter2']);
    expect(changes[0]).toMatchObject({ kind: 'changes-requested' });
    expect(changes[0].body).toContain('Cite C189.');
    const approved = notificationsFor({ type: 'ProposalApproved', data: { proposalId: 'p1', revision: 2 }, actorId: 'chair1' }, facts({ textAuthors: [] }));
    expect(to(approved)).toEqual(['drafter1']);
    expect(kinds(approved)).toEqual(['approved']);
  });

  it('tells the authors and the approving chair that an approval went stale, not the writer', () => {
    const out = notificationsFor(
      { type: APPROVAL_STALE, data: { proposalId: 'p1', revision: 7 }, actorId: 'drafter2' },
      facts({ proposal: { ...proposal, approvedBy: 'chair2' } }),
    );
    expect(to(out)).toEqual(['chair2', 'drafter1']);
    expect(kinds(out)).toEqual(['approval-stale']);
  });

  it('tells the mentioned members of a new thread, except a self-mention', () => {
    const out = notificationsFor(
      { type: 'ThreadOpened', data: { proposalId: 'p1', threadId: 't1', body: '@Priya see this', mentions: ['delegate1', 'chair1'] }, actorId: 'chair1' },
      facts(),
    );
    expect(to(out)).toEqual(['delegate1']);
    expect(out[0]).toMatchObject({ kind: 'mention', threadId: 't1', link: '/proposals/p1?thread=t1' });
  });

  it('tells the thread participants of a reply (mentioned ones once, as a mention), never its writer', () => {
    const out = notificationsFor(
      { type: 'ThreadReplied', data: { proposalId: 'p1', threadId: 't1', body: 'Agreed', mentions: ['drafter2'] }, actorId: 'delegate1' },
      facts({ threadParticipants: ['chair1', 'delegate1', 'drafter2'] }),
    );
    expect(out.map((n) => [n.recipientId, n.kind]).sort()).toEqual([
      ['chair1', 'thread-reply'],
      ['drafter2', 'mention'],
    ]);
  });

  it('tells the author of a suggestion that it was decided, unless they decided it', () => {
    const accepted = notificationsFor(
      { type: 'SuggestionAccepted', data: { proposalId: 'p1', suggestionId: 'g1', textAfter: 'migrant workers', textBefore: '', revision: 9 }, actorId: 'drafter1' },
      facts({ suggestionAuthor: 'delegate2' }),
    );
    expect(to(accepted)).toEqual(['delegate2']);
    expect(accepted[0].title).toContain('accepted');
    const rejected = notificationsFor({ type: 'SuggestionRejected', data: { proposalId: 'p1', suggestionId: 'g1' }, actorId: 'drafter1' }, facts({ suggestionAuthor: 'delegate2' }));
    expect(rejected[0]).toMatchObject({ kind: 'suggestion-decided', recipientId: 'delegate2' });
    expect(rejected[0].title).toContain('rejected');
    expect(notificationsFor({ type: 'SuggestionAccepted', data: { proposalId: 'p1' }, actorId: 'delegate2' }, facts({ suggestionAuthor: 'delegate2' }))).toEqual([]);
  });

  it('tells chairs, drafters and focal points of a silence started, broken and adopted — not the one who acted', () => {
    const started = notificationsFor({ type: 'SilenceStarted', data: { proposalId: 'p1', revision: 4, deadline: '2030-01-01T00:00:00.000Z' }, actorId: 'chair1' }, facts());
    expect(to(started)).toEqual(['chair2', 'delegate1', 'delegate2', 'drafter1', 'drafter2']);
    expect(kinds(started)).toEqual(['silence-started']);
    const broken = notificationsFor({ type: 'SilenceBroken', data: { proposalId: 'p1', memberState: 'IN', reason: 'Needs C189.' }, actorId: 'delegate1' }, facts());
    expect(to(broken)).toEqual(['chair1', 'chair2', 'delegate2', 'drafter1', 'drafter2']);
    expect(broken[0].body).toContain('Needs C189.');
    expect(notificationsFor({ type: 'SilenceBroken', data: { proposalId: 'p1', memberState: 'IN', reason: 'r' }, actorId: 'delegate1' }, facts({ memberStateName: 'India' }))[0].body).toBe(
      'Ana broke silence for India: r',
    );
    const adopted = notificationsFor({ type: 'SilenceAdopted', data: { proposalId: 'p1', revision: 4, deadline: 'x' }, actorId: 'system' }, facts());
    expect(to(adopted)).toHaveLength(6);
    expect(kinds(adopted)).toEqual(['silence-adopted']);
  });

  it('tells chairs, drafters and focal points of a whole submission circulated, broken and adopted, linked to the submission', () => {
    const submissionFacts = facts({ proposal: undefined, submissionTitle: 'ADD input', iscmOfSubmission: 'adb', memberStateName: 'India' });
    const started = notificationsFor({ type: 'SubmissionSilenceStarted', data: { submissionId: 's1', deadline: '2027-03-08T17:00:00.000Z' }, actorId: 'chair1' }, submissionFacts);
    expect(to(started)).toEqual(['chair2', 'delegate1', 'delegate2', 'drafter1', 'drafter2']);
    expect(started[0]).toMatchObject({ kind: 'silence-started', iscmId: 'adb', proposalId: null, submissionId: 's1', link: '/submissions/s1', title: 'Silence procedure: ADD input' });
    const broken = notificationsFor({ type: 'SubmissionSilenceBroken', data: { submissionId: 's1', memberState: 'IN', reason: 'Section 2.' }, actorId: 'delegate1' }, submissionFacts);
    expect(to(broken)).not.toContain('delegate1');
    expect(broken[0].body).toBe('Ana broke silence on the submission for India: Section 2.');
    const adopted = notificationsFor({ type: 'SubmissionSilenceAdopted', data: { submissionId: 's1', deadline: 'D' }, actorId: 'system' }, submissionFacts);
    expect(kinds(adopted)).toEqual(['silence-adopted']);
    expect(adopted).toHaveLength(6);
  });

  it('reminds of a silence deadline and of a submission due date within 24 hours', () => {
    const silence = notificationsFor({ type: 'DeadlineApproaching', data: { subject: 'silence', proposalId: 'p1', deadline: 'x', iscmId: 'adb' }, actorId: 'system' }, facts());
    expect(to(silence)).toHaveLength(6);
    expect(kinds(silence)).toEqual(['deadline-soon']);
    const submission = notificationsFor(
      { type: 'DeadlineApproaching', data: { subject: 'submission', submissionId: 's1', deadline: '2030-01-01T23:59:59.000Z', iscmId: 'adb' }, actorId: 'system' },
      facts({ proposal: undefined, submissionTitle: 'Input to the GCM' }),
    );
    expect(to(submission)).toEqual(['chair1', 'chair2', 'drafter1', 'drafter2']);
    expect(submission[0]).toMatchObject({ kind: 'deadline-soon', submissionId: 's1', link: '/submissions/s1', proposalId: null });
  });

  it('tells a member they were added to a workspace, and the inviter that their invitation was accepted', () => {
    const added = notificationsFor({ type: 'MemberAdded', data: { iscmId: 'adb', userId: 'u9', role: 'delegate' }, actorId: 'admin' }, facts({ proposal: undefined }));
    expect(added).toEqual([expect.objectContaining({ recipientId: 'u9', kind: 'invitation', title: 'Added to Abu Dhabi Dialogue' })]);
    expect(notificationsFor({ type: 'MemberAdded', data: { iscmId: 'adb', userId: 'u9', role: 'delegate' }, actorId: 'u9' }, facts())).toEqual([]);
    expect(notificationsFor({ type: 'MemberAdded', data: { iscmId: 'adb', userId: 'u9', role: 'delegate' }, actorId: 'system' }, facts())).toEqual([]);
    const accepted = notificationsFor(
      { type: 'InvitationAccepted', data: { iscmId: 'adb', userId: 'u9', email: 'u9@example.org' }, actorId: 'u9' },
      facts({ proposal: undefined, invitedBy: 'admin' }),
    );
    expect(accepted).toEqual([expect.objectContaining({ recipientId: 'admin', kind: 'invitation', link: '/admin/workspaces/adb' })]);
  });

  it('derives nothing for a proposal it does not know, nor for events that do not notify', () => {
    expect(notificationsFor({ type: 'ProposalSentForReview', data: { proposalId: 'zz' }, actorId: 'x' }, facts({ proposal: undefined }))).toEqual([]);
    expect(notificationsFor({ type: 'VersionNamed', data: { proposalId: 'p1' }, actorId: 'x' }, facts())).toEqual([]);
    expect(NOTIFYING_EVENT_TYPES.has('VersionNamed')).toBe(false);
  });

  it('covers every kind of the catalogue', () => {
    const seen = new Set<string>();
    const all = facts({ suggestionAuthor: 'delegate2', threadParticipants: ['chair2'], invitedBy: 'admin', proposal: { ...proposal, approvedBy: 'chair2' }, submissionTitle: 'S' });
    for (const type of NOTIFYING_EVENT_TYPES) {
      const data = { proposalId: 'p1', threadId: 't', mentions: ['drafter2'], iscmId: 'adb', userId: 'u9', subject: 'silence' };
      for (const n of notificationsFor({ type, data, actorId: 'someone' }, all)) seen.add(n.kind);
    }
    expect([...seen].sort()).toEqual([...NOTIFICATION_KINDS].sort());
  });
});
