import { findIscm, GCM_OBJECTIVES, isGcmObjective, isPracticalApproachType, PRACTICAL_APPROACH_TYPES } from './reference-data';

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
});
