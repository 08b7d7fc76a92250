// The runtime part of the packed-tarball smoke test: the core entry drained against the mock in
// Vercel's edge-runtime, Deno and Bun, and `wks-mail-outbox/node` (FileStore) under Deno and Bun.
// The mock runs here in Node, from the packed package; each runtime gets its url, projectId,
// token and AK/SK credentials, drains `COUNT` records (the core once with each) and reports a
// summary, and the mock must have received exactly those ids. A runtime whose binary cannot run on this machine is skipped with the reason printed.
import { execFile, execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { recordIds } from './drain-records.mjs';

const COUNT = 20;
/** AK/SK credentials the mock accepts (besides its token): each runtime also drains with them. */
const AKSK = { ak: 'SMOKEAK0123456789', sk: 'smoke-sk-0123456789abcdef' };
const TIMEOUT_MS = 120_000;
const here = dirname(fileURLToPath(import.meta.url));
const run = promisify(execFile);

/**
 * The first of `candidates` (paths in the repo's node_modules) that answers `--version`, as
 * `{ path, label }` (e.g. `deno 2.9.6`), or `{ skip }` saying why none did. The `.bin` link comes first; the
 * platform package's own binary is the fallback for an install whose postinstall did not run.
 */
export function findBinary(root, name, candidates) {
  const reasons = [];
  for (const candidate of candidates) {
    const path = join(root, 'node_modules', candidate);
    if (!existsSync(path)) { reasons.push(`${candidate}: missing`); continue; }
    try {
      const version = execFileSync(path, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000 });
      return { path, label: `${name} ${version.replace(/^\S+ /, '').replace(/\s*\(.*$/s, '').trim()}` };
    } catch (error) {
      reasons.push(`${candidate}: ${String(error.stderr || error.message).trim().split('\n')[0]}`);
    }
  }
  return { skip: reasons.join('; ') };
}

/**
 * Checks a runtime's summary and that the mock received the records named `<prefix>-<n>` exactly
 * once each (`deliveredIds()` lists an id once per 200 that carried it, so a duplicate shows).
 */
function expectDelivered(label, summary, delivered, prefix) {
  const want = { sent: COUNT, failed: 0, pending: 0 };
  for (const [key, value] of Object.entries(want)) {
    if (summary?.[key] !== value) throw new Error(`${label}: expected ${JSON.stringify(want)}, got ${JSON.stringify(summary)}`);
  }
  const ids = delivered.filter((id) => id.startsWith(`${prefix}-`)).sort();
  const expected = recordIds(prefix, COUNT).sort();
  if (JSON.stringify(ids) !== JSON.stringify(expected)) {
    throw new Error(`${label}: the mock received ${ids.length} ids (${ids.slice(0, 5).join(', ')}…), expected exactly ${prefix}-1..${COUNT} once each`);
  }
}

/** Runs `body(mock)` against a fresh mock from the packed package; returns its result and the ids delivered. */
async function withMock(work, body) {
  const mockEntry = createRequire(join(work, 'package.json')).resolve('wks-mail-outbox/mock-server');
  const { startMockWorkspace } = await import(pathToFileURL(mockEntry).href);
  const mock = await startMockWorkspace({ credentials: [AKSK] });
  try {
    const result = await body({ url: mock.url, projectId: mock.projectId, token: mock.token, ...AKSK, count: COUNT });
    return { result, delivered: mock.deliveredIds() };
  } finally {
    await mock.close();
  }
}

/** edge-runtime: the core entry bundled for the browser platform, evaluated in an EdgeRuntime. */
async function checkEdge(root, work) {
  const { EdgeRuntime } = await import(pathToFileURL(createRequire(join(root, 'package.json')).resolve('edge-runtime')).href);
  const bundle = execFileSync(
    join(root, 'node_modules/.bin/esbuild'),
    [join(work, 'runtimes/edge.mjs'), '--bundle', '--platform=browser', '--format=iife', '--log-level=error'],
    { cwd: work, encoding: 'utf8' },
  );
  const { result, delivered } = await withMock(work, async (mock) => {
    const runtime = new EdgeRuntime({ initialCode: `globalThis.SMOKE_MOCK = ${JSON.stringify(mock)};\n${bundle}` });
    if ('process' in runtime.context || 'require' in runtime.context) throw new Error('this EdgeRuntime exposes Node globals: not an edge test');
    let timer;
    const timeout = new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`edge-runtime: no result after ${TIMEOUT_MS} ms`)), TIMEOUT_MS); });
    return Promise.race([runtime.evaluate('globalThis.SMOKE_RESULT'), timeout]).finally(() => clearTimeout(timer));
  });
  expectDelivered('edge-runtime core', result.core, delivered, 'edge-core');
  expectDelivered('edge-runtime core with AK/SK', result.aksk, delivered, 'edge-aksk');
  return `core + MemoryStore ${result.core.sent}/${COUNT}, with AK/SK ${result.aksk.sent}/${COUNT}`;
}

/** The edge-runtime package's version, or `{ skip }` when it is not installed. */
function findEdgeRuntime(root) {
  try {
    return { label: `edge-runtime ${createRequire(join(root, 'package.json'))('edge-runtime/package.json').version}` };
  } catch (error) {
    return { skip: String(error.message).split('\n')[0] };
  }
}

/** Deno or Bun: scripts/runtimes/deno-bun.mjs in the project that installed the tarball. */
async function checkScriptRuntime(binary, args, work) {
  const { result, delivered } = await withMock(work, async (mock) => {
    const dir = mkdtempSync(join(work, 'filestore-'));
    const env = { ...process.env, SMOKE_MOCK: JSON.stringify({ ...mock, dir }), DENO_NO_UPDATE_CHECK: '1', DO_NOT_TRACK: '1', NO_COLOR: '1' };
    const child = await run(binary, [...args, 'runtimes/deno-bun.mjs'], { cwd: work, env, timeout: TIMEOUT_MS, encoding: 'utf8' }).catch((error) => {
      const how = error.killed ? `killed after ${TIMEOUT_MS} ms` : `exit code ${error.code}`;
      throw new Error(`${binary} ${args.join(' ')} runtimes/deno-bun.mjs failed (${how}):\n${error.stderr || error.message}`);
    });
    return JSON.parse(child.stdout.trim().split('\n').pop());
  });
  expectDelivered('core', result.core, delivered, 'core');
  expectDelivered('core with AK/SK', result.aksk, delivered, 'aksk');
  expectDelivered('/node', result.node, delivered, 'node');
  if (result.node.pendingAfterReopen !== 0) throw new Error(`/node: reopening the FileStore found ${result.node.pendingAfterReopen} pending`);
  return `core + MemoryStore ${COUNT}/${COUNT}, with AK/SK ${COUNT}/${COUNT}; /node + FileStore ${COUNT}/${COUNT}, nothing pending after reopen`;
}

const arch = process.arch;
const RUNTIMES = [
  { name: 'edge-runtime', find: findEdgeRuntime, check: (found, root, work) => checkEdge(root, work) },
  {
    name: 'deno',
    find: (root) => findBinary(root, 'deno', ['.bin/deno', 'deno/deno', `@deno/linux-${arch}-glibc/deno`]),
    // hostname: FileStore's lock records the host that holds it.
    check: (found, root, work) => checkScriptRuntime(found.path, ['run', '--no-lock', '--allow-net', '--allow-env=SMOKE_MOCK', '--allow-read', '--allow-write', '--allow-sys=hostname'], work),
  },
  {
    name: 'bun',
    find: (root) => findBinary(root, 'bun', ['.bin/bun', `@oven/bun-linux-${arch}/bin/bun`]),
    check: (found, root, work) => checkScriptRuntime(found.path, ['run'], work),
  },
];

/**
 * Runs every runtime check in `work` (a project with the tarball installed); `root` is the repo,
 * whose devDependencies bring the runtimes. Throws on the first failure; prints each skip.
 */
export async function checkRuntimes(root, work) {
  cpSync(here, join(work, 'runtimes'), { recursive: true });
  for (const runtime of RUNTIMES) {
    const started = performance.now();
    const found = runtime.find(root);
    if (found.skip) {
      console.log(`${runtime.name}: SKIPPED, it cannot run on this machine (${found.skip})`);
      continue;
    }
    const outcome = await runtime.check(found, root, work);
    console.log(`${found.label}: ${outcome} (${Math.round(performance.now() - started)} ms)`);
  }
}
