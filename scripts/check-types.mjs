// Type-checks the packed package the way its users compile it: fresh projects with `strict` and
// `skipLibCheck: false`, for each `moduleResolution` in common use (node16, nodenext, bundler)
// and each common `lib` (a Node service; a browser app with the DOM and no @types/node), plus
// the libs that declare `Symbol.asyncDispose` themselves (@types/node with the DOM, ESNext).
// Each project imports every entry and uses the main types. Runs offline: the tarball is unpacked
// into node_modules and the dependencies are linked from this repository's node_modules.
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const root = resolve('.');
const tsc = join(root, 'node_modules/.bin/tsc');
const linked = ['zod', 'idb-keyval', 'p-retry', '@types/node'];

const resolutions = [
  { name: 'node16', module: 'node16', moduleResolution: 'node16' },
  { name: 'nodenext', module: 'nodenext', moduleResolution: 'nodenext' },
  { name: 'bundler', module: 'esnext', moduleResolution: 'bundler' },
];
/** A Node service, and a browser app: the DOM without @types/node (issue 15's TS2304). */
const setups = [
  { name: 'node', lib: ['ES2022'], types: ['node'] },
  { name: 'dom', lib: ['ES2022', 'DOM'], types: [] },
];
/**
 * Libs that declare `Symbol.asyncDispose` too (@types/node, lib esnext): our declaration must merge
 * with theirs. The lib does not depend on the resolution, so one resolution is enough for these.
 */
const extraSetups = [
  { name: 'dom+node', lib: ['ES2022', 'DOM'], types: ['node'] },
  { name: 'esnext+dom', lib: ['ESNext', 'DOM'], types: [] },
  { name: 'esnext+node', lib: ['ESNext'], types: ['node'] },
];

/** Uses every entry and the types a user meets first; compiled, never run. */
const consumer = `import { createOutbox, MemoryStore, isApiError, resendAuthorizationMails } from 'wks-mail-outbox';
import type { Outbox, OutboxOptions, OutboxEvents, DrainSummary, OutboxSnapshot, ResendResult, QueueStore, AuthorizationMailInput } from 'wks-mail-outbox';
import { createOutbox as createNodeOutbox, FileStore, type NodeOutboxOptions } from 'wks-mail-outbox/node';
import { createOutbox as createBrowserOutbox, IndexedDbStore, type BrowserOutboxOptions } from 'wks-mail-outbox/browser';
import { serveOutbox, type ServiceWorkerOutboxOptions } from 'wks-mail-outbox/service-worker';
import { startMockWorkspace, type MockWorkspace, type MockFault } from 'wks-mail-outbox/mock-server';

export async function use(mock: MockWorkspace): Promise<DrainSummary> {
  const options: OutboxOptions = { endpoint: mock.url, projectId: mock.projectId, auth: { token: mock.token }, store: new MemoryStore() };
  const outbox: Outbox = createOutbox(options);
  const record: AuthorizationMailInput = { id: 'r-1' };
  await outbox.enqueue([record]);
  const off = outbox.on('sent', (event: OutboxEvents['sent']) => void event.requestId?.toUpperCase());
  const snapshot: OutboxSnapshot = outbox.getSnapshot();
  const unsubscribe = outbox.subscribe(() => void snapshot);
  const disposable: { [Symbol.asyncDispose](): PromiseLike<void> } = outbox;
  const summary = await outbox.drain();
  off();
  unsubscribe();
  await disposable[Symbol.asyncDispose]();
  const result: ResendResult = await resendAuthorizationMails({ endpoint: mock.url, projectId: mock.projectId, auth: { token: mock.token }, records: [record], retry: 2 });
  void (result.requestId ?? 'none').length;
  return summary;
}

export const stores: QueueStore[] = [new FileStore({ dir: 'queue' }), new IndexedDbStore({ name: 'app' })];
export const nodeOptions: NodeOutboxOptions = { endpoint: 'https://example.test', projectId: 'p', auth: { token: 't' }, dir: 'queue' };
export const browserOptions: BrowserOutboxOptions = { endpoint: 'https://example.test', projectId: 'p', auth: { token: 't' }, name: 'app', sender: 'service-worker' };
export const workerOptions: ServiceWorkerOutboxOptions = { endpoint: 'https://example.test', projectId: 'p', auth: 'from-pages', name: 'app', sliceMs: 30_000 };
export const served: typeof serveOutbox = serveOutbox;
export const makers = [createNodeOutbox, createBrowserOutbox, startMockWorkspace] as const;
export const fault: MockFault = { status: 503 };
export const guard: (error: unknown) => boolean = isApiError;
`;

const work = mkdtempSync(join(tmpdir(), 'wks-types-'));
try {
  // The package as published: packed, then unpacked where a consumer's install would put it.
  const tarball = execFileSync('npm', ['pack', '--silent', '--pack-destination', work], { cwd: root, encoding: 'utf8' }).trim().split('\n').pop();
  execFileSync('tar', ['-xzf', join(work, tarball), '-C', work]);
  const modules = join(work, 'node_modules');
  mkdirSync(join(modules, '@types'), { recursive: true });
  renameSync(join(work, 'package'), join(modules, 'wks-mail-outbox'));
  for (const name of linked) symlinkSync(join(root, 'node_modules', name), join(modules, name), 'dir');

  const projects = [
    ...resolutions.flatMap((resolution) => setups.map((setup) => ({ resolution, setup }))),
    ...extraSetups.map((setup) => ({ resolution: resolutions[2], setup })),
  ].map((project) => ({ ...project, name: `${project.resolution.name}-${project.setup.name}` }));
  for (const { resolution, setup, name } of projects) {
    const dir = join(work, name);
    mkdirSync(dir);
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, private: true, type: 'module' }));
    const compilerOptions = {
      target: 'ES2022', module: resolution.module, moduleResolution: resolution.moduleResolution,
      lib: setup.lib, types: setup.types, strict: true, skipLibCheck: false, noEmit: true,
    };
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['consumer.ts'] }, null, 2));
    writeFileSync(join(dir, 'consumer.ts'), consumer);
  }

  const runTsc = promisify(execFile);
  const failures = [];
  const queue = [...projects];
  const worker = async () => {
    for (let project = queue.shift(); project; project = queue.shift()) {
      try {
        await runTsc(tsc, ['-p', join(work, project.name)], { cwd: join(work, project.name) });
      } catch (error) {
        failures.push(`${project.name} (lib ${project.setup.lib.join('+')}, types [${project.setup.types}]):\n${error.stdout || error.message}`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, availableParallelism()) }, worker));

  if (failures.length > 0) {
    console.error(`types check failed in ${failures.length} of ${projects.length} consumer projects:\n\n${failures.join('\n')}`);
    process.exitCode = 1;
  } else {
    console.log(`types: ${projects.length} consumer projects (${projects.map((p) => p.name).join(', ')}) compile every entry with strict and skipLibCheck false`);
  }
} finally {
  // KEEP_TYPES_WORKDIR=1 leaves the projects in place to look into a failure.
  if (process.env.KEEP_TYPES_WORKDIR) console.error(`consumer projects left in ${work}`);
  else rmSync(work, { recursive: true, force: true });
}
