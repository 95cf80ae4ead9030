import { invalid } from './domain-error';

const characterCount = (text: string) => Array.from(text).length;

/** Trims `value` and checks its length in characters; returns the trimmed text. */
export function boundedText(value: unknown, field: string, max: number, min = 1): string {
  const text = typeof value === 'string' ? value.trim() : undefined;
  if (text === undefined || characterCount(text) < min || characterCount(text) > max) {
    throw invalid(
      min === 0
        ? `${field} must be text of at most ${max} characters.`
        : `${field} must be between ${min} and ${max} characters long (leading and trailing spaces are ignored).`,
    );
  }
  return text;
}

export function requiredString(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw invalid(`${field} is required.`);
  }
  return value;
}

/** Checks that `revision` is a revision of a document whose newest revision is `currentRevision`. */
export function existingRevision(revision: unknown, currentRevision: number, field = 'revision'): number {
  if (typeof revision !== 'number' || !Number.isInteger(revision) || revision < 0) {
    throw invalid(`${field} must be a whole number of 0 or more, got ${String(revision)}.`);
  }
  if (revision > currentRevision) {
    throw invalid(`${field} ${revision} does not exist yet: the newest revision is ${currentRevision}.`);
  }
  return revision;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

export function sha256HexDigest(value: unknown, field: string): string {
  if (typeof value !== 'string' || !SHA256_HEX.test(value)) {
    throw invalid(`${field} must be a sha256 digest written as 64 lower-case hexadecimal characters.`);
  }
  return value;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isoDate(value: unknown, field: string): string {
  const match = typeof value === 'string' ? ISO_DATE.exec(value) : null;
  const [year, month, day] = match ? match.slice(1).map(Number) : [];
  const date = match ? new Date(Date.UTC(year, month - 1, day)) : undefined;
  if (!date || date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    throw invalid(`${field} must be a calendar date written yyyy-mm-dd, got ${JSON.stringify(value)}.`);
  }
  return value as string;
}
