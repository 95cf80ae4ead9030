/**
 * Whether a parsed JSON value nests objects and arrays deeper than `maxDepth` (a scalar is depth 0,
 * `{}` and `[]` depth 1). Walks with an explicit stack, so it cannot overflow on what it checks;
 * it stops at the first level too deep. Deep nesting is refused before validation because
 * recursive walkers downstream (ValidationPipe's prototype stripping, class-transformer) overflow
 * the call stack on it, which used to answer 500.
 */
/**
 * Text that no store can keep: NUL (PostgreSQL refuses it in text and jsonb) and UTF-16 halves
 * without their partner (not encodable as UTF-8). Refused at the door instead of failing an append.
 */
const UNPAIRED_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export function hasUnstorableText(text: string): boolean {
  return text.includes('\u0000') || UNPAIRED_SURROGATE.test(text);
}

/** Whether any string or key in a parsed JSON value (or query object) holds unstorable text. */
export function containsUnstorableText(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const current = stack.pop();
    if (typeof current === 'string') {
      if (hasUnstorableText(current)) return true;
    } else if (Array.isArray(current)) {
      stack.push(...current);
    } else if (current !== null && typeof current === 'object') {
      for (const [key, child] of Object.entries(current as Record<string, unknown>)) {
        if (hasUnstorableText(key)) return true;
        stack.push(child);
      }
    }
  }
  return false;
}

export function nestingExceeds(value: unknown, maxDepth: number): boolean {
  const stack: Array<{ value: unknown; depth: number }> = [{ value, depth: 0 }];
  while (stack.length > 0) {
    const { value: current, depth } = stack.pop() as { value: unknown; depth: number };
    if (current === null || typeof current !== 'object') continue;
    if (depth + 1 > maxDepth) return true;
    const children = Array.isArray(current) ? current : Object.values(current as Record<string, unknown>);
    for (const child of children) {
      if (child !== null && typeof child === 'object') stack.push({ value: child, depth: depth + 1 });
    }
  }
  return false;
}
