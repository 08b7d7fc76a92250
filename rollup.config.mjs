import { nodeResolve } from '@rollup/plugin-node-resolve';
import typescript from '@rollup/plugin-typescript';
import { dts } from 'rollup-plugin-dts';

const input = {
  index: 'src/index.ts',
  node: 'src/node.ts',
  browser: 'src/browser.ts',
  'service-worker': 'src/service-worker.ts',
  'mock-server': 'src/mock-server.ts',
  cli: 'src/cli.ts',
  testing: 'src/testing.ts',
  postgres: 'src/postgres.ts',
};
const external = [/^node:/, /^zod(\/|$)/, 'p-retry', 'idb-keyval', 'pg'];

export default [
  {
    input,
    external,
    plugins: [nodeResolve(), typescript({ tsconfig: './tsconfig.build.json' })],
    output: {
      dir: 'dist',
      format: 'es',
      entryFileNames: '[name].js',
      chunkFileNames: 'chunks/[name]-[hash].js',
      // Otherwise entries that re-export the core get bare imports of every dependency.
      hoistTransitiveImports: false,
      banner: (chunk) => (chunk.name === 'cli' ? '#!/usr/bin/env node' : ''),
    },
  },
  {
    // The CLI is a program, not an API: it gets no types.
    input: Object.fromEntries(Object.entries(input).filter(([name]) => name !== 'cli')),
    external,
    plugins: [dts({ tsconfig: './tsconfig.build.json' })],
    output: { dir: 'dist', format: 'es', entryFileNames: '[name].d.ts', chunkFileNames: 'chunks/[name]-[hash].d.ts' },
  },
];
