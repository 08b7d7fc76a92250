// Packs the package, installs the tarball into a fresh temporary project, imports every entry
// from Node, runs the CLI, and bundles the browser entry for a browser (esbuild, platform
// browser): the bundle must hold no `node:` module. What a user gets, tried as a user would.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { checkRuntimes } from './runtimes/check-runtimes.mjs';

const root = resolve('.');
const work = mkdtempSync(join(tmpdir(), 'wks-pack-'));
const run = (command, args, cwd) => execFileSync(command, args, { cwd, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
try {
  const tarball = run('npm', ['pack', '--silent', '--pack-destination', work], root).trim().split('\n').pop();
  writeFileSync(join(work, 'package.json'), JSON.stringify({ name: 'pack-smoke', private: true, type: 'module' }));
  run('npm', ['install', '--silent', '--no-audit', '--no-fund', join(work, tarball)], work);

  writeFileSync(
    join(work, 'node-entries.mjs'),
    `import * as core from 'wks-mail-outbox';
import * as node from 'wks-mail-outbox/node';
import * as browser from 'wks-mail-outbox/browser';
import * as mock from 'wks-mail-outbox/mock-server';
const checks = { 'core.createOutbox': core.createOutbox, 'core.MemoryStore': core.MemoryStore, 'core.resendAuthorizationMails': core.resendAuthorizationMails,
  'core.AuthorizationMailSchema': core.AuthorizationMailSchema, 'node.FileStore': node.FileStore, 'browser.IndexedDbStore': browser.IndexedDbStore,
  'mock.startMockWorkspace': mock.startMockWorkspace };
for (const [name, value] of Object.entries(checks)) if (!value) throw new Error(name + ' missing');
const server = await mock.startMockWorkspace();
const outbox = core.createOutbox({ endpoint: server.url, projectId: server.projectId, auth: { token: server.token } });
await outbox.enqueue([{ id: 'pack-1' }, { id: 'pack-2' }]);
const summary = await outbox.drain();
await outbox.close(); await server.close();
if (summary.sent !== 2) throw new Error('the packed outbox did not deliver: ' + JSON.stringify(summary));
console.log('node: every entry imports; the packed outbox delivered 2 records through the packed mock');
`,
  );
  process.stdout.write(run('node', ['node-entries.mjs'], work));
  process.stdout.write(`cli: ${run(join(work, 'node_modules/.bin/wks-mail-outbox'), ['--version'], work)}`);

  writeFileSync(join(work, 'browser-app.mjs'), `import { createOutbox, IndexedDbStore } from 'wks-mail-outbox/browser';\nconsole.log(createOutbox, IndexedDbStore);\n`);
  const esbuild = join(root, 'node_modules/.bin/esbuild');
  const meta = join(work, 'meta.json');
  run(esbuild, ['browser-app.mjs', '--bundle', '--platform=browser', '--format=esm', '--minify', `--metafile=${meta}`, '--outfile=app.js', '--log-level=error'], work);
  const inputs = Object.keys(JSON.parse(run('node', ['-e', `process.stdout.write(require('fs').readFileSync(${JSON.stringify(meta)}, 'utf8'))`], work)).inputs);
  const nodeModules = inputs.filter((input) => input.startsWith('node:') || input.includes('(disabled)'));
  if (nodeModules.length > 0) throw new Error(`the browser bundle pulls in ${nodeModules.join(', ')}`);
  console.log(`browser: bundled wks-mail-outbox/browser for the browser from the tarball (${inputs.length} modules, no node: module)`);

  await checkRuntimes(root, work);
} finally {
  rmSync(work, { recursive: true, force: true });
}
