export function apiEventStore(): string {
  return 'api-event-store';
}
