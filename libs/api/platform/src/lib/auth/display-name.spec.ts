import { displayName, memberStateIn } from './display-name';

describe('names shown to other members', () => {
  it('names a member state of the ISCM from the reference data', () => {
    expect(memberStateIn('abu-dhabi-dialogue', 'IN')).toEqual({ code: 'IN', name: 'India' });
    expect(memberStateIn('rcm', 'US')).toEqual({ code: 'US', name: 'United States of America' });
  });

  it('keeps a code the reference data does not list for that ISCM as its name, and has nothing for no code', () => {
    expect(memberStateIn('abu-dhabi-dialogue', 'MX')).toEqual({ code: 'MX', name: 'MX' });
    expect(memberStateIn('abu-dhabi-dialogue', null)).toBeNull();
    expect(memberStateIn('abu-dhabi-dialogue', undefined)).toBeNull();
  });

  it("adds a delegate's member state to their name, and leaves other names alone", () => {
    expect(displayName('Priya Sharma', { code: 'IN', name: 'India' })).toBe('Priya Sharma (India)');
    expect(displayName('Amina Rahman', null)).toBe('Amina Rahman');
  });
});
