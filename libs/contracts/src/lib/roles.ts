/**
 * Workspace roles. A `delegate` is a member state's focal point: for now they read every proposal of
 * the workspace and nothing else (suggestions come later); their membership names their member state.
 */
export const ROLES = ['drafter', 'chair', 'auditor', 'admin', 'delegate'] as const;
export type Role = (typeof ROLES)[number];
