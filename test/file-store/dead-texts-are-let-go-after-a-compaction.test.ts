// The store keeps its entries' JSON in an arena of large buffers; a replaced or deleted entry's
// text stays there until the arena is repacked, which follows a compaction once the arena holds
// more than twice the live texts plus 8 MiB. Repacking keeps every live entry exactly, and
// memory goes back to about the live data.
import { describe, expect, it } from 'vitest';
import { FileStore } from '../../src/node.js';
import { LiveSet } from '../../src/store/file/live-set.js';
import { useTempDirs } from '../helpers/temp-dirs.js';
import { bareEntry } from '../../src/testing.js';

const tempDir = useTempDirs();
const MIB = 2 ** 20;

describe('dead texts in the arena', () => {
  it('are dropped by a repack once they outweigh the live ones; the live texts stay exact', () => {
    const live = new LiveSet();
    const big = (index: number) => JSON.stringify({ key: `k${index}`, pad: `${index}-${'é'.repeat(MIB / 4)}` });
    for (let index = 0; index < 24; index++) live.put(`k${index}`, big(index));
    for (let index = 1; index < 24; index++) live.delete(`k${index}`);
    live.put('k0', big(100)); // replaced
    expect(live.arenaBytes).toBeGreaterThan(20 * MIB);

    live.repackIfWasteful();
    expect(live.arenaBytes).toBeLessThanOrEqual(2 * MIB);
    expect([...live.entries.keys()]).toEqual(['k0']);
    expect(live.entries.get('k0')?.text).toBe(big(100));
    expect(live.takeEntries()).toEqual([JSON.parse(big(100))]);
  });

  it('are kept while they are not worth a copy (under twice the live texts plus 8 MiB)', () => {
    const live = new LiveSet();
    for (let index = 0; index < 4; index++) live.put(`k${index}`, JSON.stringify({ key: `k${index}`, pad: 'x'.repeat(MIB) }));
    live.delete('k1');
    const before = live.arenaBytes;
    live.repackIfWasteful();
    expect(live.arenaBytes).toBe(before);
  });

  it('a store whose big entries came and went loads the live ones exactly after its compactions', async () => {
    const dir = await tempDir('arena-repack');
    const store = new FileStore({ dir, compactSlack: 4 });
    const keep = bareEntry('keep', { seq: 1, record: { id: 'keep', error_msg: 'ü'.repeat(3000) } });
    await store.putMany([keep]);
    for (let cycle = 0; cycle < 40; cycle++) {
      const passing = bareEntry(`passing-${cycle}`, { seq: 10 + cycle, record: { id: `passing-${cycle}`, error_msg: 'p'.repeat(400_000) } });
      await store.putMany([passing]);
      await store.deleteMany([passing.key]);
    }
    expect((await store.load()).entries).toEqual([keep]);
    await store.close();
    const reopened = new FileStore({ dir });
    expect((await reopened.load()).entries).toEqual([keep]);
    await reopened.close();
  });
});
