export function sharedIntegrity(): string {
  return 'shared-integrity';
}
