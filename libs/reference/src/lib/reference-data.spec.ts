import memberStatesFile from '../../data/iscm-member-states.json';
import { findConsultation, findIscm, GCM_CONSULTATIONS, findMemberState, GCM_OBJECTIVES, ISCMS, memberStatesOf, isGcmObjective, isPracticalApproachType, PRACTICAL_APPROACH_TYPES } from './reference-data';

describe('reference data', () => {
  it('holds the 23 GCM objectives numbered 1 to 23', () => {
    expect(GCM_OBJECTIVES.map((o) => o.number)).toEqual(Array.from({ length: 23 }, (_, i) => i + 1));
    expect(isGcmObjective(23)).toBe(true);
    expect(isGcmObjective(24)).toBe(false);
  });

  it('knows the kinds of practical approach', () => {
    expect(PRACTICAL_APPROACH_TYPES.length).toBeGreaterThanOrEqual(12);
    expect(isPracticalApproachType('policy')).toBe(true);
    expect(isPracticalApproachType('poem')).toBe(false);
  });

  it('finds the Abu Dhabi Dialogue', () => {
    expect(findIscm('abu-dhabi-dialogue')).toMatchObject({ abbreviation: 'ADD', type: 'IRF' });
  });

  describe('member states', () => {
    it('lists the 18 of the Abu Dhabi Dialogue, the 12 of the Colombo Process and the 11 of the RCM', () => {
      expect(memberStatesOf('abu-dhabi-dialogue')).toHaveLength(18);
      expect(memberStatesOf('colombo-process')).toHaveLength(12);
      expect(memberStatesOf('rcm')).toHaveLength(11);
    });

    it('finds a member state by its ISO alpha-2 code, only in its own ISCM', () => {
      expect(findMemberState('abu-dhabi-dialogue', 'IN')).toEqual({ code: 'IN', name: 'India' });
      expect(findMemberState('abu-dhabi-dialogue', 'AE')).toEqual({ code: 'AE', name: 'United Arab Emirates' });
      expect(findMemberState('rcm', 'MX')).toEqual({ code: 'MX', name: 'Mexico' });
      expect(findMemberState('abu-dhabi-dialogue', 'MX')).toBeUndefined();
      expect(findMemberState('abu-dhabi-dialogue', 'in')).toBeUndefined();
    });

    it('has nothing for an ISCM whose members are not listed, or an unknown one', () => {
      expect(memberStatesOf('budapest-process')).toEqual([]);
      expect(memberStatesOf('no-such-iscm')).toEqual([]);
    });

    it('names only ISCMs of iscms.json, each state once, with well-formed codes', () => {
      for (const { iscm_id: iscmId } of memberStatesFile.iscms) {
        expect(ISCMS.some((iscm) => iscm.id === iscmId)).toBe(true);
        const codes = memberStatesOf(iscmId).map((state) => state.code);
        expect(new Set(codes).size).toBe(codes.length);
        for (const code of codes) expect(code).toMatch(/^[A-Z]{2}$/);
      }
    });
  });

  describe('GCM consultations', () => {
    it('lists the six informal thematic sessions of 2017 in order, each once', () => {
      expect(GCM_CONSULTATIONS.map((c) => c.number)).toEqual([1, 2, 3, 4, 5, 6]);
      expect(new Set(GCM_CONSULTATIONS.map((c) => c.id)).size).toBe(6);
      for (const c of GCM_CONSULTATIONS) {
        expect(c.start_date <= c.end_date).toBe(true);
        expect(c.start_date).toMatch(/^2017-\d{2}-\d{2}$/);
      }
    });

    it('gives the third session, Geneva 19–20 June 2017, seven guiding questions q1…q7 in order', () => {
      const third = findConsultation('gcm-ts3-2017');
      expect(third).toMatchObject({ number: 3, venue: 'Geneva', start_date: '2017-06-19', end_date: '2017-06-20' });
      expect(third?.questions.map((q) => q.id)).toEqual(['q1', 'q2', 'q3', 'q4', 'q5', 'q6', 'q7']);
      expect(third?.questions[1].question).toMatch(/MiGOF.*MGI/);
      expect(third?.questions_source).toBe('compiled-for-concord');
    });

    it('has no questions for the other sessions, and says where questions come from', () => {
      for (const c of GCM_CONSULTATIONS) {
        expect(c.questions_source === null).toBe(c.questions.length === 0);
        const ids = c.questions.map((q) => q.id);
        expect(new Set(ids).size).toBe(ids.length);
      }
      expect(GCM_CONSULTATIONS.filter((c) => c.questions.length > 0).map((c) => c.id)).toEqual(['gcm-ts3-2017']);
    });

    it('finds nothing for an unknown id', () => {
      expect(findConsultation('gcm-ts7-2017')).toBeUndefined();
    });
  });
});
