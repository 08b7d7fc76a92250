// A delivered batch whose delete the store refused is owed (written again with the next write).
// Until then the records are still in the store: a re-read of it (a tab hearing `changed`, a
// fleet worker's claim) must not take them back as pending, or they would be sent again with
// no crash to excuse it.
import { afterEach, expect, it } from 'vitest';
import { createEngine, type Outbox } from '../../src/outbox/outbox.js';
import type { CoordinatedEngine } from '../../src/outbox/coordinator.js';
import { MemoryStore } from '../../src/index.js';
import { FaultyStore } from '../helpers/faulty-store.js';
import { useMocks } from '../helpers/mock-service.js';
import { records } from '../helpers/records.js';
import { within } from '../helpers/within.js';
import { FAST_RETRY } from '../helpers/fast-retry.js';

const startMock = useMocks();
let outbox: Outbox | undefined;
afterEach(async () => {
  await outbox?.close().catch(() => undefined);
});

it('a re-read after a failed delete sends nothing again, and the owed delete lands with the next write', async () => {
  const mock = await startMock();
  const store = new FaultyStore();
  let engine: CoordinatedEngine | undefined;
  const coordinator = { start: (given: CoordinatedEngine) => void (engine = given), changed: () => undefined, forward: () => undefined, close: () => undefined };
  outbox = createEngine({ endpoint: mock.url, projectId: mock.projectId, auth: { token: mock.token }, retry: FAST_RETRY, store }, { makeStore: () => new MemoryStore(), coordinator });
  await outbox.enqueue(records('a', 'b'));
  store.fail.add('deleteMany');
  await within(outbox.drain(), 'the drain', 5000);
  expect((await store.load()).entries.map((entry) => entry.record.id).sort()).toEqual(['a', 'b']);
  await engine!.sync();
  expect(await outbox.pending()).toEqual([]);
  await within(outbox.drain(), 'a second drain', 5000);
  expect(mock.deliveredIds()).toEqual(['a', 'b']);
  store.fail.delete('deleteMany');
  await outbox.enqueue(records('c'));
  await within(outbox.drain(), 'the last drain', 5000);
  expect(mock.deliveredIds().sort()).toEqual(['a', 'b', 'c']);
  expect((await store.load()).entries).toEqual([]);
});
