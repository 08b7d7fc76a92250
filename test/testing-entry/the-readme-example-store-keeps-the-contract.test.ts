// The store in the README's "Writing a store" is this file's MapStore, and it keeps the whole
// contract (durability included, since its storage outlives the store object), run as the
// README runs it: `describeQueueStoreConformance` from the testing entry with vitest's describe/it.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { describeQueueStoreConformance } from '../../src/testing.js';
import { MapStore, type MapStorage } from './map-store.js';

describeQueueStoreConformance('MapStore (the README example)', async () => {
  const storage: MapStorage = { entries: new Map(), meta: new Map() };
  return { store: new MapStore(storage), reopen: async () => new MapStore(storage) };
}, { describe, it });

describe('the README example store', () => {
  it('is map-store.ts, word for word, importing from the package', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('## Writing a store'));
    const block = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
    const source = readFileSync(new URL('./map-store.ts', import.meta.url), 'utf8').replaceAll("'../../src/index.js'", "'wks-mail-outbox'");
    expect(block).toBe(source);
  });
});
