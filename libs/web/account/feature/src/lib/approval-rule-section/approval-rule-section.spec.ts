import { describeRule } from './approval-rule-section';

describe('describeRule', () => {
  const approvers = [
    { userId: 'a', name: 'Fatima Al Mansoori' },
    { userId: 'b', name: 'Maria Santos' },
    { userId: 'c', name: 'Kenji Watanabe' },
  ];
  it('says any one chair approves without a rule', () => {
    expect(describeRule(null)).toBe('Any one chair approves a proposal.');
    expect(describeRule({ approvers: [], required: 0 })).toBe('Any one chair approves a proposal.');
  });
  it('names the approvers and the count', () => {
    expect(describeRule({ approvers, required: 2 })).toBe('2 of 3 approvers must approve the same revision: Fatima Al Mansoori, Maria Santos, Kenji Watanabe.');
    expect(describeRule({ approvers, required: 3 })).toBe('All 3 approvers must approve the same revision: Fatima Al Mansoori, Maria Santos, Kenji Watanabe.');
  });
});
