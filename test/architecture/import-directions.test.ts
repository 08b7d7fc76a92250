// The design's rules, checked on the source itself (issue 11's "done when"): the engine imports
// no platform and no store implementation, stores import nothing of the engine, the wire
// contract knows neither, the CLI's queue commands need no sender, and no file is too long
// for a newcomer to read in one go.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(import.meta.dirname, '../../src');
const MAX_LINES = 300;

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

/** Every module a file imports or re-exports: `node:` builtins, packages, and files of src/ relative to src/. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/^\s*(?:import|export)\b[^'"`;]*?from\s+['"]([^'"]+)['"]/gm), ...text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)].map(
    (match) => match[1] as string,
  );
  return specifiers.map((specifier) => (specifier.startsWith('.') ? relative(SRC, resolve(dirname(file), specifier)).replace(/\.js$/, '') : specifier));
}

const ALL = filesUnder(SRC);
const under = (folder: string) => ALL.filter((file) => relative(SRC, file).startsWith(`${folder}/`));
const offenders = (files: string[], bad: (specifier: string) => boolean) =>
  files.flatMap((file) => importsOf(file).filter(bad).map((specifier) => `${relative(SRC, file)} imports ${specifier}`));

describe('import directions', () => {
  it('the engine (src/outbox) imports no platform module, no store implementation, no host', () => {
    const platformOrImplementation = (specifier: string) =>
      specifier.startsWith('node:') ||
      specifier.startsWith('browser') ||
      specifier.startsWith('cli') ||
      specifier.startsWith('mock') ||
      (specifier.startsWith('store/') && specifier !== 'store/entry' && specifier !== 'store/QueueStore') ||
      specifier === 'idb-keyval';
    expect(under('outbox').length).toBeGreaterThan(10);
    expect(offenders(under('outbox'), platformOrImplementation)).toEqual([]);
  });

  it('stores import nothing of the engine or of a host', () => {
    expect(under('store').length).toBeGreaterThan(5);
    expect(offenders(under('store'), (specifier) => /^(outbox|browser|cli|fleet)\//.test(specifier))).toEqual([]);
  });

  it('the wire contract (src/api) knows neither stores nor the engine', () => {
    expect(offenders(under('api'), (specifier) => /^(outbox|store|browser|cli|fleet)\//.test(specifier))).toEqual([]);
  });

  it("the CLI's queue commands (status, dead, requeue, purge) open the queue alone: no outbox, no sender", () => {
    const files = ['cli/maintenance.ts', 'cli/maintenance-queue.ts'].map((file) => join(SRC, file));
    expect(offenders(files, (specifier) => ['node', 'index', 'postgres', 'core-outbox', 'outbox/outbox', 'outbox/batch-sender', 'outbox/runner'].includes(specifier) || specifier.startsWith('api/') || specifier.startsWith('fleet/'))).toEqual([]);
    expect(importsOf(files[1] as string)).toContain('outbox/queue');
  });
});

it(`no source file is longer than ${MAX_LINES} lines`, () => {
  const long = ALL.map((file) => ({ file: relative(SRC, file), lines: readFileSync(file, 'utf8').split('\n').length - 1 })).filter(({ lines }) => lines > MAX_LINES);
  expect(long).toEqual([]);
});
