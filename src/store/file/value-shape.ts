// A check of a parsed JSON value's shape, without recursion: a line nested 10,000 deep must be
// refused, not overflow the stack of the code that looks at it.

/**
 * Why `value` may not be used, or undefined: nested deeper than `maxDepth` objects/arrays (the
 * value itself is level 1), or holding a `__proto__` key anywhere (nothing the store writes has
 * one: such a line is hand-made, and is refused rather than silently cleaned).
 */
export function shapeProblem(value: unknown, maxDepth: number): string | undefined {
  const stack: unknown[] = [value];
  const depths: number[] = [1];
  while (stack.length > 0) {
    const node = stack.pop();
    const depth = depths.pop() as number;
    if (node === null || typeof node !== 'object') continue;
    if (depth > maxDepth) return `nested deeper than ${maxDepth} levels`;
    if (!Array.isArray(node) && Object.hasOwn(node, '__proto__')) return 'holds a __proto__ key';
    for (const child of Array.isArray(node) ? node : Object.values(node)) {
      if (child !== null && typeof child === 'object') {
        stack.push(child);
        depths.push(depth + 1);
      }
    }
  }
  return undefined;
}
