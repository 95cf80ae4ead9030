export function apiCollab(): string {
  return 'api-collab';
}
