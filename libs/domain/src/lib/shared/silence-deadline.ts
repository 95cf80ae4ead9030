import { invalid } from './domain-error';

/** The shortest and longest leads of a silence procedure's deadline (the handler may configure a shorter minimum). */
export const SILENCE_MIN_LEAD_MS = 60_000;
export const SILENCE_MAX_LEAD_MS = 90 * 24 * 3600 * 1000;

/** Milliseconds of an ISO 8601 date-time with a time zone; 400 naming `field` otherwise. */
export function instant(value: unknown, field: string): number {
  const ms = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/.test(value) ? Date.parse(value) : NaN;
  if (Number.isNaN(ms)) {
    throw invalid(`${field} must be an ISO 8601 date-time with a time zone, such as 2027-03-01T17:00:00Z; got ${JSON.stringify(value)}.`);
  }
  return ms;
}

/**
 * The deadline of a silence procedure started at `now`, normalised to UTC: at least `minLeadMs`
 * (SILENCE_MIN_LEAD_MS unless configured) and at most 90 days ahead.
 */
export function silenceDeadline(deadline: unknown, now: unknown, minLeadMs: number | undefined): string {
  const nowMs = instant(now, 'now');
  const deadlineMs = instant(deadline, 'deadline');
  const minLead = minLeadMs ?? SILENCE_MIN_LEAD_MS;
  if (deadlineMs < nowMs + minLead) {
    throw invalid(`The deadline must be at least ${minLead >= 60_000 ? `${Math.round(minLead / 60_000)} minute(s)` : `${minLead} ms`} from now.`);
  }
  if (deadlineMs > nowMs + SILENCE_MAX_LEAD_MS) {
    throw invalid('The deadline may be at most 90 days from now.');
  }
  return new Date(deadlineMs).toISOString();
}
