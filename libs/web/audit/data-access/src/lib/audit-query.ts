import { RECORDED_EVENT_TYPES } from '@concord/domain';

/** What the auditor filters the event log by; an empty string means "any". */
export interface AuditLogFilters {
  iscmId: string;
  /** An exact stream name, or a prefix ending in `*` (e.g. `proposal-*`). */
  stream: string;
  type: string;
  userId: string;
  /** Inclusive start, as an ISO-8601 time. */
  from: string;
  /** Exclusive end, as an ISO-8601 time. */
  to: string;
}

export const NO_FILTERS: AuditLogFilters = Object.freeze({ iscmId: '', stream: '', type: '', userId: '', from: '', to: '' });

/** The query string of `GET /api/audit/events`. */
export type AuditQueryParams = Partial<Record<keyof AuditLogFilters | 'after' | 'limit', string>>;

export const AUDIT_PAGE_SIZE = 50;

/**
 * The query parameters for one page of the event log: every filter that is set (trimmed), the
 * cursor to continue after, and the page size.
 */
export function auditQueryParams(filters: AuditLogFilters, after: number | null = null, limit = AUDIT_PAGE_SIZE): AuditQueryParams {
  const params: AuditQueryParams = {};
  for (const key of Object.keys(NO_FILTERS) as (keyof AuditLogFilters)[]) {
    const value = filters[key]?.trim();
    if (value) {
      params[key] = value;
    }
  }
  if (after !== null) {
    params.after = String(after);
  }
  params.limit = String(limit);
  return params;
}

/** Filters with every value trimmed, so that " " and "" mean the same. */
export function normalizeFilters(filters: Partial<AuditLogFilters>): AuditLogFilters {
  const normalized = { ...NO_FILTERS };
  for (const key of Object.keys(NO_FILTERS) as (keyof AuditLogFilters)[]) {
    normalized[key] = filters[key]?.trim() ?? '';
  }
  return normalized;
}

export function hasActiveFilters(filters: AuditLogFilters): boolean {
  return Object.values(filters).some((value) => value !== '');
}

/** Event types recorded by Concord (the catalog of libs/domain), offered as suggestions; any type may be typed. */
export const KNOWN_EVENT_TYPES: readonly string[] = RECORDED_EVENT_TYPES;
