// The entries the put-writer child writes, rebuilt by the test to compare what a reopen loads.
import { bareEntry } from '../../../src/testing.js';
import type { OutboxEntry } from '../../../src/index.js';

/** Entry `part` of pair `index` of `round`: big, multi-byte, a lone surrogate in one field. */
export function writerEntry(round: number, index: number, part: number): OutboxEntry {
  const id = `r${round}-${index}-${part}`;
  return {
    ...bareEntry(id, { seq: round * 1_000_000 + index * 2 + part }),
    record: { id, account: `é😀中${'ü'.repeat(20_000 + index)}${id}`, error_msg: part === 0 ? `lone \ud800 ${id}` : `${'x'.repeat(30_000)}${id}` },
  };
}

/** Whether pair `index` was deleted right after it was written (every third pair). */
export const writerDeletes = (index: number): boolean => index % 3 === 2;
