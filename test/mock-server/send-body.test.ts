import { describe, expect, it } from 'vitest';
import { DOC_EXAMPLE } from '../helpers/doc-example.js';
import { errorOf, list, send, sendBody } from '../helpers/mock-http.js';
import { useMocks } from '../helpers/mock-service.js';

const start = useMocks();


describe('send body validation', () => {
  it("accepts the documentation's own example request", async () => {
    const mock = await start();
    expect((await send(mock, DOC_EXAMPLE)).status).toBe(200);
    expect(mock.requests[0]?.records).toEqual(DOC_EXAMPLE.records);
  });

  it('accepts null fields and unknown string fields', async () => {
    const mock = await start();
    const response = await send(mock, { records: [{ id: 'a', account: null, future_field: 'x' }] });
    expect(response.status).toBe(200);
  });

  it.each([
    ['an empty body', '', /the body is empty/],
    ['invalid JSON', '{"records": [', /not valid JSON/],
    ['a JSON array', '[{"id":"a"}]', /JSON object/],
    ['no records', '{}', /records is missing/],
    ['records not an array', '{"records":{"id":"a"}}', /records must be an array/],
    ['no record', '{"records":[]}', /records must not be empty/],
    ['a record that is not an object', '{"records":[{"id":"a"},"b"]}', /records\[1\] must be an object/],
    ['a record without id', '{"records":[{"account":"x"}]}', /records\[0\]\.id must be a non-empty string/],
    ['an empty id', '{"records":[{"id":""}]}', /records\[0\]\.id/],
    ['a blank id', '{"records":[{"id":"  "}]}', /records\[0\]\.id/],
    ['a numeric id', '{"records":[{"id":1}]}', /records\[0\]\.id/],
    ['a non-string field', '{"records":[{"id":"a"},{"id":"b","account":42}]}', /records\[1\]\.account must be a string/],
    ['a non-string unknown field', '{"records":[{"id":"a","extra":{"x":1}}]}', /records\[0\]\.extra must be a string/],
  ])('answers 400 WKS.0001 for %s', async (_name, body, message) => {
    const mock = await start();
    const error = await errorOf(await send(mock, body));
    expect(error).toMatchObject({ status: 400, error_code: 'WKS.0001' });
    expect(error.error_msg).toMatch(/^The request message is empty or malformed: /);
    expect(error.error_msg).toMatch(message);
    expect(mock.deliveredIds()).toEqual([]);
  });

  it('answers 400 WKS.00131104 for a send carrying a poison id, rejecting the whole request', async () => {
    const mock = await start({ poisonIds: ['bad'] });
    const error = await errorOf(await send(mock, sendBody('a', 'bad', 'c')));
    expect(error).toEqual({ status: 400, error_code: 'WKS.00131104', error_msg: 'invalid authorization email record: bad' });
    expect((await send(mock, sendBody('a', 'c'))).status).toBe(200);
    expect(mock.deliveredIds()).toEqual(['a', 'c']);
  });

  it('answers 404 "No resources found" for a send carrying an unknown id', async () => {
    const mock = await start({ unknownIds: ['gone'] });
    const error = await errorOf(await send(mock, sendBody('a', 'gone')));
    expect(error).toMatchObject({ status: 404, error_code: 'WKS.0404', error_msg: expect.stringMatching(/^No resources found.*gone/) });
    expect(mock.deliveredIds()).toEqual([]);
  });

  it('checks poison ids before unknown ids', async () => {
    const mock = await start({ poisonIds: ['bad'], unknownIds: ['gone'] });
    expect((await send(mock, sendBody('gone', 'bad'))).status).toBe(400);
  });

  it('deliveredIds lists the records of sends answered 200, in order, duplicates kept', async () => {
    const mock = await start({ poisonIds: ['bad'] });
    await send(mock, sendBody('a', 'b'));
    await send(mock, sendBody('bad'));
    await send(mock, sendBody('b', 'c'));
    await send(mock, sendBody('d'), { 'X-Auth-Token': 'wrong' });
    expect(mock.deliveredIds()).toEqual(['a', 'b', 'b', 'c']);
  });

  it('marks a stored record SUCCESS with send_at when it is sent', async () => {
    const now = Date.UTC(2025, 5, 1, 8, 30, 0);
    const mock = await start({
      clock: () => now,
      records: [
        { id: 'r1', app_group_id: 'g', mail_send_result: 'FAIL', error_msg: 'mailbox full' },
        { id: 'r2', app_group_id: 'g', mail_send_result: 'FAIL' },
      ],
    });
    expect((await send(mock, sendBody('r1'))).status).toBe(200);
    const page = (await (await list(mock, { app_group_id: 'g' })).json()) as { records: unknown[] };
    expect(page.records).toEqual([
      { id: 'r1', app_group_id: 'g', mail_send_result: 'SUCCESS', send_at: new Date(now).toISOString() },
      { id: 'r2', app_group_id: 'g', mail_send_result: 'FAIL' },
    ]);
  });

  it('does not change the records array it was given', async () => {
    const given = [{ id: 'r1', app_group_id: 'g', mail_send_result: 'FAIL' }];
    const mock = await start({ records: given });
    await send(mock, sendBody('r1'));
    expect(given[0]?.mail_send_result).toBe('FAIL');
  });
});
