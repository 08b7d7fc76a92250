// Module hooks (run in Node's loader thread): `./x.js` imports resolve to `./x.ts` when only the
// TypeScript source exists, and `.ts` files are transpiled with the project's own `typescript`
// (types erased, nothing checked: `tsc --noEmit` does the checking). Transpiled text is cached
// by content hash in the OS temp dir, because loading `typescript` alone costs a second or two
// and the crash tests start dozens of children.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CACHE_DIR = join(tmpdir(), 'wks-mail-outbox-ts-loader-cache');
const CACHE_VERSION = 'v1';

let typescript;

async function transpile(path, source) {
  typescript ??= (await import('typescript')).default;
  const ts = typescript;
  return ts.transpileModule(source, {
    fileName: path,
    compilerOptions: {
      module: ts.ModuleKind.ESNext,
      target: ts.ScriptTarget.ES2022,
      verbatimModuleSyntax: true,
      inlineSourceMap: true,
    },
  }).outputText;
}

export async function resolve(specifier, context, nextResolve) {
  const fromTs = context.parentURL?.endsWith('.ts');
  if (fromTs && specifier.startsWith('.') && specifier.endsWith('.js')) {
    const asTs = new URL(`${specifier.slice(0, -3)}.ts`, context.parentURL);
    if (!existsSync(new URL(specifier, context.parentURL)) && existsSync(asTs)) {
      return { url: asTs.href, format: 'module', shortCircuit: true };
    }
  }
  return nextResolve(specifier, context);
}

export async function load(url, context, nextLoad) {
  if (!url.startsWith('file:') || !url.endsWith('.ts')) return nextLoad(url, context);
  const path = fileURLToPath(url);
  const source = readFileSync(path, 'utf8');
  const hash = createHash('sha256').update(`${CACHE_VERSION}\0${path}\0${source}`).digest('hex');
  const cached = join(CACHE_DIR, `${hash}.mjs`);
  let output;
  try {
    output = readFileSync(cached, 'utf8');
  } catch {
    output = await transpile(path, source);
    mkdirSync(CACHE_DIR, { recursive: true });
    const temp = `${cached}.${process.pid}.tmp`;
    writeFileSync(temp, output);
    renameSync(temp, cached); // atomic: a concurrent child never reads half a file
  }
  return { format: 'module', source: output, shortCircuit: true };
}
