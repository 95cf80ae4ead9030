import { dictionary } from '@zxcvbn-ts/language-common';

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 1024;

/**
 * The ~49,000 most common passwords of the zxcvbn-ts common dictionary (`@zxcvbn-ts/language-common`,
 * MIT, compiled from public breach corpora); lower-cased, looked up exactly.
 */
let common: ReadonlySet<string> | undefined;
function commonPasswords(): ReadonlySet<string> {
  common ??= new Set((dictionary['passwords-common'] as string[]).map((word) => word.toLowerCase()));
  return common;
}

/** Why a new password is refused, or null when it is acceptable (NIST SP 800-63B §5.1.1.2). */
export function newPasswordProblem(password: string, context: { email: string; name?: string }): string | null {
  if (typeof password !== 'string' || password.length < MIN_PASSWORD_LENGTH) {
    return `The new password must be at least ${MIN_PASSWORD_LENGTH} characters long.`;
  }
  if (password.length > MAX_PASSWORD_LENGTH) return `The new password must be at most ${MAX_PASSWORD_LENGTH} characters long.`;
  const lower = password.toLowerCase();
  if (commonPasswords().has(lower)) {
    return 'This password is among the most common passwords found in data breaches; choose another.';
  }
  if (new Set(lower).size < 4) return 'The new password repeats too few different characters; choose another.';
  const email = context.email.toLowerCase();
  if (lower === email || lower === email.split('@')[0]) return 'The new password must not be your email address.';
  if (context.name && lower === context.name.toLowerCase()) return 'The new password must not be your name.';
  return null;
}
