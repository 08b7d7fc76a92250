// Checks the build: every entry and its types exist, and the isomorphic core imports no `node:`
// module (directly or through the chunks it loads).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const entries = ['index', 'node', 'browser', 'mock-server', 'cli'];
const problems = [];
for (const entry of entries) {
  const files = entry === 'cli' ? [`dist/${entry}.js`] : [`dist/${entry}.js`, `dist/${entry}.d.ts`];
  for (const file of files) if (!existsSync(file)) problems.push(`missing ${file}`);
}

/** Every module a built file imports, following relative imports into chunks. */
function importsOf(file, seen = new Set()) {
  if (seen.has(file)) return [];
  seen.add(file);
  const source = readFileSync(file, 'utf8');
  const specifiers = [...source.matchAll(/(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(?\s*['"]([^'"]+)['"]/g)].map((m) => m[1] ?? m[2]);
  return specifiers.flatMap((s) => (s.startsWith('.') ? [s, ...importsOf(join(dirname(file), s), seen)] : [s]));
}

for (const entry of ['index', 'browser']) {
  const nodeImports = importsOf(`dist/${entry}.js`).filter((s) => s.startsWith('node:'));
  if (nodeImports.length > 0) problems.push(`dist/${entry}.js imports ${nodeImports.join(', ')}`);
}
if (!readFileSync('dist/cli.js', 'utf8').startsWith('#!/usr/bin/env node')) problems.push('dist/cli.js has no shebang');

if (problems.length > 0) {
  console.error(`dist check failed:\n- ${problems.join('\n- ')}`);
  process.exit(1);
}
console.log(`dist check: ${entries.length} entries (types for all but the CLI); dist/index.js and dist/browser.js import no node: module`);
