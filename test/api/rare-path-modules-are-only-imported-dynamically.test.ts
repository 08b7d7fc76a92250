// What createOutbox and the client calls import, followed through every static import from their
// modules (as a bundler does for `import { createOutbox }`), holds neither the AK/SK signing code
// nor the Retry-After date reader: each is reached only by a dynamic import, so bundlers make it a
// chunk of its own, loaded on the rare path that needs it (scripts/check-dist.mjs checks the built
// chunks; .size-limit.mjs leaves those chunks out of the figures and measures them apart).
import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/repo-root.js';

/** The modules behind `createOutbox` (core and browser) and the client's calls. */
const ROOTS = ['src/core-outbox.ts', 'src/browser.ts', 'src/api/resend.ts', 'src/api/list.ts'];
/** Loaded only on their rare path. */
const LAZY = ['src/api/sign-request.ts', 'src/api/http-date.ts'];

const read = (file: string) => readFileSync(join(repoRoot, file), 'utf8');
const resolve = (from: string, specifier: string) => relative(repoRoot, join(repoRoot, dirname(from), specifier)).replace(/\.js$/, '.ts');

/**
 * Every module reached from `roots` by value imports (`import … from`; not `import type`, and not
 * re-exports, which a bundler drops when nothing imports them), with the dynamic imports seen.
 */
function staticGraph(roots: readonly string[]): { modules: Set<string>; dynamic: Map<string, string> } {
  const modules = new Set<string>();
  const dynamic = new Map<string, string>();
  const queue = [...roots];
  while (queue.length > 0) {
    const file = queue.shift()!;
    if (modules.has(file)) continue;
    modules.add(file);
    const source = read(file);
    for (const [, specifier] of source.matchAll(/^import\s+(?!type\s)[^;]*?from\s*'(\.[^']+)'/gm)) queue.push(resolve(file, specifier!));
    for (const [, specifier] of source.matchAll(/\bimport\(\s*'(\.[^']+)'\s*\)/g)) dynamic.set(resolve(file, specifier!), file);
  }
  return { modules, dynamic };
}

describe('modules of rare paths are only imported dynamically', () => {
  const { modules, dynamic } = staticGraph(ROOTS);

  it('the walk sees the send path (the request, the redaction, the Retry-After values)', () => {
    for (const file of ['src/api/request.ts', 'src/api/secret-search.ts', 'src/api/retry-after-values.ts', 'src/api/signer.ts', 'src/outbox/outbox.ts']) {
      expect(modules).toContain(file);
    }
  });

  it.each(LAZY)('%s is not statically imported by createOutbox or the client', (file) => {
    expect(modules).not.toContain(file);
  });

  it.each(LAZY)('%s is dynamically imported from the send path', (file) => {
    expect(dynamic.get(file)).toBeDefined();
    expect(modules).toContain(dynamic.get(file));
  });
});
