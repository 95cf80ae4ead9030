export function sharedContent(): string {
  return 'shared-content';
}
