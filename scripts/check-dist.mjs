// Checks the build: every entry and its types exist, and the isomorphic entries (the core, the
// browser and service-worker entries, and the testing entry, whose suite also runs in browsers) import no `node:`
// module (directly or through the chunks they load).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const entries = ['index', 'node', 'browser', 'service-worker', 'mock-server', 'cli', 'testing', 'postgres'];
/** Entries that must run where there is no `node:` module. */
const isomorphic = ['index', 'browser', 'service-worker', 'testing'];
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

// Code of rare paths is a chunk of its own, loaded by a dynamic import (.size-limit.mjs leaves
// these chunks out of the entries' figures and measures them apart): the AK/SK signer, imported
// statically only by the service-worker entry (browsers refuse import() in a service worker);
// the Retry-After date reader, statically also for the public parseHttpDate and parseRetryAfter,
// which bundlers drop when they are not used.
const builtFiles = [...entries.map((entry) => `dist/${entry}.js`), ...readdirSync('dist/chunks').filter((name) => name.endsWith('.js')).map((name) => `dist/chunks/${name}`)];
const lazyChunks = { 'sign-request': { staticImporters: ['dist/service-worker.js'] }, 'http-date': { staticImporters: 'any' } };
for (const [name, { staticImporters: allowed }] of Object.entries(lazyChunks)) {
  const chunks = readdirSync('dist/chunks').filter((file) => file.startsWith(`${name}-`) && file.endsWith('.js'));
  if (chunks.length !== 1) {
    problems.push(`expected one chunk dist/chunks/${name}-*.js, found ${chunks.length}`);
    continue;
  }
  const chunk = chunks[0];
  const sources = builtFiles.map((file) => readFileSync(file, 'utf8'));
  if (!sources.some((source) => source.includes(`import('./${chunk}')`))) problems.push(`no built file loads dist/chunks/${chunk} with a dynamic import`);
  const staticImporters = builtFiles.filter((file, index) => new RegExp(`from\\s*['"][./a-z]*/${chunk.replace(/[.]/g, '\\.')}['"]`).test(sources[index]));
  const unexpected = allowed === 'any' ? [] : staticImporters.filter((file) => !allowed.includes(file));
  if (unexpected.length > 0) problems.push(`dist/chunks/${chunk} is imported statically by ${unexpected.join(', ')}`);
}

if (problems.length > 0) {
  console.error(`dist check failed:\n- ${problems.join('\n- ')}`);
  process.exit(1);
}
console.log(
  `dist check: ${entries.length} entries (types for all but the CLI); ${isomorphic.map((entry) => `dist/${entry}.js`).join(', ')} import no node: module; ` +
    `${Object.keys(lazyChunks).join(', ')}: chunks of their own, loaded by dynamic import`,
);
