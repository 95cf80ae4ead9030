export const ROLES = ['drafter', 'chair', 'auditor', 'admin'] as const;
export type Role = (typeof ROLES)[number];
