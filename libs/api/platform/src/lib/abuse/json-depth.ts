/**
 * Whether a parsed JSON value nests objects and arrays deeper than `maxDepth` (a scalar is depth 0,
 * `{}` and `[]` depth 1). Walks with an explicit stack, so it cannot overflow on what it checks;
 * it stops at the first level too deep. Deep nesting is refused before validation because
 * recursive walkers downstream (ValidationPipe's prototype stripping, class-transformer) overflow
 * the call stack on it, which used to answer 500.
 */
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
