/**
 * The in-app address to go to after signing in. Only paths inside this app are accepted, so a
 * crafted `returnUrl` cannot send the user to another site.
 */
export function safeReturnUrl(returnUrl: string | null | undefined): string {
  if (!returnUrl || !returnUrl.startsWith('/') || returnUrl.startsWith('//') || returnUrl.startsWith('/\\')) {
    return '/';
  }
  return returnUrl.startsWith('/login') ? '/' : returnUrl;
}
