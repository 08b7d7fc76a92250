// Batching: at most `batchSize` records per request; a request holds records of one project
// and one language only (sent to that project's path, with that `X-Language`); records go out
// in the order they were enqueued (FIFO), also when a batch had to be retried.
import { describe, expect, it } from 'vitest';
import { idsOf, sends } from '../helpers/mock-requests.js';
import { useOutboxes } from '../helpers/outboxes.js';
import { makeRecords } from '../helpers/records.js';

const OTHER_PROJECT = 'f'.repeat(32);

describe('batching', () => {
  const { startMock, open } = useOutboxes();

  it('sends at most batchSize records per request, filling each batch', async () => {
    const mock = await startMock();
    const outbox = open(mock, { batchSize: 5 });
    await outbox.enqueue(makeRecords(23));

    expect(await outbox.drain()).toEqual({ sent: 23, failed: 0, pending: 0 });
    expect(sends(mock).map((request) => idsOf(request).length)).toEqual([5, 5, 5, 5, 3]);
  });

  it('delivers in enqueue order (FIFO), across batches and across separate enqueue calls', async () => {
    const mock = await startMock();
    const outbox = open(mock, { batchSize: 4 });
    const ids = makeRecords(13).map((record) => record.id);
    for (const id of ids) await outbox.enqueue({ id });

    await outbox.drain();
    expect(mock.deliveredIds()).toEqual(ids);
  });

  it('keeps FIFO order when the first batch has to be retried', async () => {
    const mock = await startMock({ faults: [{ status: 503 }, {}, { status: 500 }] });
    const outbox = open(mock, { batchSize: 2 });
    await outbox.enqueue(makeRecords(6));

    await outbox.drain();
    expect(mock.deliveredIds()).toEqual(['r0', 'r1', 'r2', 'r3', 'r4', 'r5']);
    expect(sends(mock).map(idsOf)).toEqual([['r0', 'r1'], ['r0', 'r1'], ['r2', 'r3'], ['r2', 'r3'], ['r4', 'r5']]);
  });

  it('groups records by language: each request holds one language and carries it in X-Language', async () => {
    const mock = await startMock();
    const outbox = open(mock, { batchSize: 10, language: 'zh-cn' });
    await outbox.enqueue([{ id: 'en0' }, { id: 'en1' }], { language: 'en-us' });
    await outbox.enqueue([{ id: 'fr0' }], { language: 'fr-fr' });
    await outbox.enqueue([{ id: 'zh0' }]); // the outbox's default language
    await outbox.enqueue([{ id: 'en2' }], { language: 'en-us' });
    await outbox.enqueue([{ id: 'fr1' }], { language: 'fr-fr' });

    expect(await outbox.drain()).toEqual({ sent: 6, failed: 0, pending: 0 });

    // The oldest record decides which group goes first; its group's later records join it.
    expect(sends(mock).map((request) => [request.headers['x-language'], idsOf(request)])).toEqual([
      ['en-us', ['en0', 'en1', 'en2']],
      ['fr-fr', ['fr0', 'fr1']],
      ['zh-cn', ['zh0']],
    ]);
  });

  it('sends no X-Language header for records enqueued without a language', async () => {
    const mock = await startMock();
    const outbox = open(mock);
    await outbox.enqueue([{ id: 'plain' }]);
    await outbox.enqueue([{ id: 'french' }], { language: 'fr-fr' });

    await outbox.drain();
    expect(sends(mock).map((request) => [request.headers['x-language'], idsOf(request)])).toEqual([
      [undefined, ['plain']],
      ['fr-fr', ['french']],
    ]);
  });

  it('groups records by project: each request goes to one project\'s path and holds only that project\'s records', async () => {
    // The mock knows one project (another one gets the gateway's 404, which pauses the outbox):
    // a fetch in front of it notes the path each request was sent to, then lets the mock answer
    // it as if for its own project.
    const mock = await startMock();
    const paths: string[] = [];
    const fetchBoth: typeof fetch = (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      paths.push(url.pathname);
      url.pathname = url.pathname.replace(`/v1/${OTHER_PROJECT}/`, `/v1/${mock.projectId}/`);
      return fetch(url, init);
    };
    const outbox = open(mock, { batchSize: 10, fetch: fetchBoth });
    await outbox.enqueue([{ id: 'home0' }]);
    await outbox.enqueue([{ id: 'away0' }, { id: 'away1' }], { projectId: OTHER_PROJECT });
    await outbox.enqueue([{ id: 'home1' }, { id: 'home2' }]);
    await outbox.enqueue([{ id: 'away2' }], { projectId: OTHER_PROJECT });

    expect(await outbox.drain()).toEqual({ sent: 6, failed: 0, pending: 0 });
    expect(paths).toEqual([`/v1/${mock.projectId}/mails/actions/send`, `/v1/${OTHER_PROJECT}/mails/actions/send`]);
    expect(sends(mock).map(idsOf)).toEqual([
      ['home0', 'home1', 'home2'],
      ['away0', 'away1', 'away2'],
    ]);
  });
});
