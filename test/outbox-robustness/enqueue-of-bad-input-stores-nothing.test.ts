// "Validation before persistence": enqueue() is all-or-nothing. One invalid record among many
// makes it reject with a ValidationError that names each bad record's index and field, and
// nothing is stored, announced or sent. Bad enqueue options are a TypeError naming the option.
import { describe, expect, it } from 'vitest';
import { isValidationError, type ValidationError } from '../../src/index.js';
import { rejectionOf } from '../helpers/caught.js';
import { FaultyStore } from '../helpers/faulty-store.js';
import { recordEvents } from '../helpers/outbox-events.js';
import { useOutboxes } from '../helpers/outboxes.js';
import { ids, records } from '../helpers/records.js';
import { sleep } from '../helpers/sleep.js';

const { startMock, open } = useOutboxes();

async function startedOutbox() {
  const mock = await startMock();
  const store = new FaultyStore();
  const outbox = open(mock, { store });
  const events = recordEvents(outbox);
  outbox.start();
  await outbox.pending(); // loaded
  return { mock, store, outbox, events };
}

/** Nothing reached the store, the queue, the listeners or the service. */
async function expectNothingKept({ mock, store, outbox, events }: Awaited<ReturnType<typeof startedOutbox>>): Promise<void> {
  await sleep(30);
  expect(store.calls.putMany).toBe(0);
  expect(await store.load()).toEqual({ entries: [], meta: {} });
  expect(await outbox.pending()).toEqual([]);
  expect(events.all).toEqual([]);
  expect(mock.requests).toHaveLength(0);
}

describe('enqueue of bad input', () => {
  it('one bad record among 10: a ValidationError naming its index and field, and nothing stored', async () => {
    const harness = await startedOutbox();
    const input: Array<Record<string, unknown>> = records(...ids('ok', 10));
    input[7] = { id: '   ' };
    const error = await rejectionOf(harness.outbox.enqueue(input as Array<{ id: string }>));
    expect(isValidationError(error)).toBe(true);
    expect((error as ValidationError).issues).toEqual([expect.objectContaining({ index: 7, field: 'id' })]);
    expect((error as Error).message).toMatch(/record 7.*"id"/);
    await expectNothingKept(harness);
  });

  it('several bad records: every one is named, and nothing stored', async () => {
    const harness = await startedOutbox();
    const input: unknown[] = [{ id: 'a' }, { account: 'no id' }, { id: 'c' }, { id: 'd', app_group_id: 42 }, 'not a record', { id: 'f' }];
    const error = await rejectionOf(harness.outbox.enqueue(input as Array<{ id: string }>));
    expect(isValidationError(error)).toBe(true);
    const issues = (error as ValidationError).issues.map(({ index, field }) => ({ index, field }));
    expect(issues).toEqual([
      { index: 1, field: 'id' },
      { index: 3, field: 'app_group_id' },
      { index: 4, field: '' },
    ]);
    await expectNothingKept(harness);
  });

  it.each([
    ['an empty array', []],
    ['null', null],
    ['a number', 42],
    ['a string', 'id-1'],
  ])('%s: a ValidationError about the records, and nothing stored', async (_label, input) => {
    const harness = await startedOutbox();
    const error = await rejectionOf(harness.outbox.enqueue(input as never));
    expect(isValidationError(error)).toBe(true);
    expect((error as ValidationError).issues[0]).toMatchObject({ field: 'records' });
    await expectNothingKept(harness);
  });

  it.each([
    ['projectId', { projectId: 'has/slash' }],
    ['projectId', { projectId: '' }],
    ['projectId', { projectId: 42 }],
    ['language', { language: 'de-de' }],
    ['language', { language: 42 }],
  ])('a bad %s in the enqueue options: a TypeError naming it, and nothing stored', async (option, options) => {
    const harness = await startedOutbox();
    const error = await rejectionOf(harness.outbox.enqueue(records('a'), options as never));
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toMatch(new RegExp(`^${option}\\b`));
    await expectNothingKept(harness);
  });

  it('a refused enqueue leaves the queue as it was, and a valid one afterwards is delivered', async () => {
    const { mock, outbox, events } = await startedOutbox();
    await outbox.enqueue(records('kept'));
    await outbox.drain();
    await rejectionOf(outbox.enqueue([{ id: 'kept' }, { id: '' }]));
    expect(events.of('enqueued').map((event) => event.record.id)).toEqual(['kept']);
    await outbox.enqueue(records('next'));
    expect(await outbox.drain()).toMatchObject({ sent: 1, pending: 0 });
    expect(mock.deliveredIds()).toEqual(['kept', 'next']);
  });
});
