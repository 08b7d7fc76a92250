// Checks the build: every entry and its types exist, and the isomorphic entries (the core, the
// browser entry, and the testing entry, whose suite also runs in browsers) import no `node:`
// module (directly or through the chunks they load).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const entries = ['index', 'node', 'browser', 'mock-server', 'cli', 'testing'];
/** Entries that must run where there is no `node:` module. */
const isomorphic = ['index', 'browser', 'testing'];
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

for (const entry of isomorphic) {
  const nodeImports = importsOf(`dist/${entry}.js`).filter((s) => s.startsWith('node:'));
  if (nodeImports.length > 0) problems.push(`dist/${entry}.js imports ${nodeImports.join(', ')}`);
}
if (!readFileSync('dist/cli.js', 'utf8').startsWith('#!/usr/bin/env node')) problems.push('dist/cli.js has no shebang');

if (problems.length > 0) {
  console.error(`dist check failed:\n- ${problems.join('\n- ')}`);
  process.exit(1);
}
console.log(`dist check: ${entries.length} entries (types for all but the CLI); ${isomorphic.map((entry) => `dist/${entry}.js`).join(', ')} import no node: module`);
