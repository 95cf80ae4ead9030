/** True when no prefix filter is given or the stream name starts with one of the prefixes. */
export function matchesStreamPrefixes(stream: string, prefixes: readonly string[] | undefined): boolean {
  return !prefixes || prefixes.length === 0 || prefixes.some((prefix) => stream.startsWith(prefix));
}
