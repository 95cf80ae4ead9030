import { buildDocument, seedUpdateFromProseMirrorJson, toPlainText, toProseMirrorJson, withoutBlockIds } from '@concord/content';
import { findConsultation, findMemberState, isGcmObjective, isPracticalApproachType } from '@concord/reference';
import { DEMO_CO_SPONSORSHIP, DEMO_ISCM_ID, DEMO_PROPOSALS, DEMO_SUBMISSION, DEMO_USERS, toProseMirrorDocument } from './demo-content';
import { demoId } from './demo-seeder.service';

describe('demo content', () => {
  it('has three proposals of different kinds, tagged with real GCM objectives', () => {
    expect(DEMO_PROPOSALS).toHaveLength(3);
    expect(new Set(DEMO_PROPOSALS.map((p) => p.kind)).size).toBe(3);
    for (const proposal of DEMO_PROPOSALS) {
      expect(isPracticalApproachType(proposal.kind)).toBe(true);
      expect(proposal.gcmObjectives.every(isGcmObjective)).toBe(true);
    }
  });

  it.each(DEMO_PROPOSALS.map((p) => [p.key, p] as const))('%s is a valid Tiptap document that survives the Yjs round trip', (_key, proposal) => {
    const document = toProseMirrorDocument(proposal.body);
    const doc = buildDocument({ updates: [seedUpdateFromProseMirrorJson(document)] });
    try {
      expect(withoutBlockIds(toProseMirrorJson(doc))).toEqual(document); // seeds start numbered (block ids s1, s2…)
      expect(toPlainText(doc).length).toBeGreaterThan(300);
    } finally {
      doc.destroy();
    }
  });

  it('writes for the third thematic session and puts each proposal under one of its questions', () => {
    const consultation = findConsultation(DEMO_SUBMISSION.consultationId);
    expect(consultation).toMatchObject({ number: 3, start_date: '2017-06-19' });
    const questions = consultation?.questions.map((q) => q.id) ?? [];
    expect(DEMO_PROPOSALS.map((p) => p.section)).toEqual(['q4', 'q7', 'q6']);
    for (const proposal of DEMO_PROPOSALS) expect(questions).toContain(proposal.section);
  });

  it('gives every demo object a stable UUID', () => {
    expect(demoId('drafter1')).toBe(demoId('drafter1'));
    expect(demoId('drafter1')).not.toBe(demoId('drafter2'));
    expect(demoId('x')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(DEMO_USERS.map((u) => u.email)).toEqual([
      'drafter1@concord.demo', 'drafter2@concord.demo', 'chair@concord.demo', 'auditor@concord.demo', 'admin@concord.demo',
      'delegate1@concord.demo', 'delegate2@concord.demo', 'chair2@concord.demo', 'chair3@concord.demo',
    ]);
  });

  it('makes the two delegates focal points of two different member states of the demo ISCM', () => {
    const delegates = DEMO_USERS.filter((user) => user.roles.includes('delegate'));
    expect(delegates.map((user) => [user.email, user.memberState])).toEqual([
      ['delegate1@concord.demo', 'IN'],
      ['delegate2@concord.demo', 'AE'],
    ]);
    for (const { memberState } of delegates) expect(findMemberState(DEMO_ISCM_ID, memberState ?? '')).toBeDefined();
    expect(DEMO_USERS.filter((user) => !user.roles.includes('delegate')).every((user) => user.memberState === undefined)).toBe(true);
  });

  it('has a delegate co-sponsor a demo proposal for their member state', () => {
    const delegate = DEMO_USERS.find((user) => user.key === DEMO_CO_SPONSORSHIP.by);
    expect(delegate?.roles).toContain('delegate');
    expect(DEMO_PROPOSALS.map((proposal) => proposal.key)).toContain(DEMO_CO_SPONSORSHIP.proposalKey);
  });
});
