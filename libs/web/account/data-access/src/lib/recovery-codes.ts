/** The text of the recovery-codes file a user downloads: one code per line, with what they are. */
export function recoveryCodesFile(email: string, codes: readonly string[], issuedAt: Date): string {
  return [
    `Concord recovery codes for ${email}`,
    `Issued ${issuedAt.toISOString()}. Each code works once, instead of a code from your authenticator.`,
    '',
    ...codes,
    '',
  ].join('\n');
}
