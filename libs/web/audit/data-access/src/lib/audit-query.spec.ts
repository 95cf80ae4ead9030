import { NO_FILTERS, auditQueryParams, hasActiveFilters, normalizeFilters } from './audit-query';

describe('auditQueryParams', () => {
  it('asks for the first page with only the page size when nothing is filtered', () => {
    expect(auditQueryParams(NO_FILTERS)).toEqual({ limit: '50' });
  });

  it('sends every filter that is set, trimmed, and the cursor to continue after', () => {
    const params = auditQueryParams(
      {
        iscmId: 'add',
        stream: ' proposal-* ',
        type: 'ProposalApproved',
        userId: 'u-chair',
        from: '2026-01-01T00:00:00.000Z',
        to: '2026-02-01T00:00:00.000Z',
      },
      120,
      25,
    );

    expect(params).toEqual({
      iscmId: 'add',
      stream: 'proposal-*',
      type: 'ProposalApproved',
      userId: 'u-chair',
      from: '2026-01-01T00:00:00.000Z',
      to: '2026-02-01T00:00:00.000Z',
      after: '120',
      limit: '25',
    });
  });

  it('keeps a cursor of 0', () => {
    expect(auditQueryParams(NO_FILTERS, 0)).toEqual({ after: '0', limit: '50' });
  });
});

describe('normalizeFilters', () => {
  it('fills the missing filters and trims the rest', () => {
    const filters = normalizeFilters({ stream: '  iscm-add ', type: '   ' });

    expect(filters).toEqual({ ...NO_FILTERS, stream: 'iscm-add' });
    expect(hasActiveFilters(filters)).toBe(true);
    expect(hasActiveFilters(normalizeFilters({ type: ' ' }))).toBe(false);
  });
});
