import memberStatesFile from '../../data/iscm-member-states.json';
import { findIscm, findMemberState, GCM_OBJECTIVES, ISCMS, memberStatesOf, isGcmObjective, isPracticalApproachType, PRACTICAL_APPROACH_TYPES } from './reference-data';

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
});
