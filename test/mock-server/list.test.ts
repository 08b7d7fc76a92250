import { describe, expect, it } from 'vitest';
import type { MockRecord } from '../../src/mock-server.js';
import { errorOf, list } from '../helpers/mock-http.js';
import { useMocks } from '../helpers/mock-service.js';

const start = useMocks();

const stored: MockRecord[] = Array.from({ length: 25 }, (_, index) => ({
  id: `r${index}`,
  app_group_id: index < 20 ? 'g1' : 'g2',
  account: index % 2 === 0 ? 'alice' : 'bob',
  mail_send_type: index % 5 === 0 ? 'DEL_GROUP_AUTHORIZATION' : 'ADD_GROUP_AUTHORIZATION',
  mail_send_result: index % 3 === 0 ? 'FAIL' : 'SUCCESS',
}));

async function page(response: Response): Promise<{ count: number; ids: string[] }> {
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  const body = (await response.json()) as { count: number; records: MockRecord[] };
  return { count: body.count, ids: body.records.map((record) => record.id) };
}

describe('listing API', () => {
  it('answers the first 10 records of an application group by default, with the total count', async () => {
    const mock = await start({ records: stored });
    const { count, ids } = await page(await list(mock, { app_group_id: 'g1' }));
    expect(count).toBe(20);
    expect(ids).toEqual(Array.from({ length: 10 }, (_, index) => `r${index}`));
  });

  it('pages with limit and offset', async () => {
    const mock = await start({ records: stored });
    expect(await page(await list(mock, { app_group_id: 'g1', limit: 7, offset: 14 }))).toEqual({
      count: 20,
      ids: ['r14', 'r15', 'r16', 'r17', 'r18', 'r19'],
    });
    expect(await page(await list(mock, { app_group_id: 'g1', limit: 100, offset: 50 }))).toEqual({ count: 20, ids: [] });
  });

  it('filters by account, mail_send_type and mail_send_result (exact match, combined)', async () => {
    const mock = await start({ records: stored });
    const expected = stored
      .filter((record) => record.app_group_id === 'g1' && record.account === 'alice' && record.mail_send_result === 'FAIL')
      .filter((record) => record.mail_send_type === 'ADD_GROUP_AUTHORIZATION')
      .map((record) => record.id);
    const result = await page(
      await list(mock, {
        app_group_id: 'g1',
        account: 'alice',
        mail_send_type: 'ADD_GROUP_AUTHORIZATION',
        mail_send_result: 'FAIL',
        limit: 100,
      }),
    );
    expect(result).toEqual({ count: expected.length, ids: expected });
    expect(expected.length).toBeGreaterThan(0);
    expect(await page(await list(mock, { app_group_id: 'g1', account: 'ali' }))).toEqual({ count: 0, ids: [] });
  });

  it('answers an empty page for an application group without records', async () => {
    const mock = await start();
    expect(await page(await list(mock, { app_group_id: 'none' }))).toEqual({ count: 0, ids: [] });
  });

  it.each([
    [{}, /app_group_id is required/],
    [{ app_group_id: '' }, /app_group_id is required/],
    [{ app_group_id: 'g1', limit: 0 }, /limit must be an integer from 1 to 100/],
    [{ app_group_id: 'g1', limit: 101 }, /limit/],
    [{ app_group_id: 'g1', limit: '1.5' }, /limit/],
    [{ app_group_id: 'g1', limit: 'ten' }, /limit/],
    [{ app_group_id: 'g1', offset: -1 }, /offset must be an integer/],
    [{ app_group_id: 'g1', offset: '' }, /offset/],
    [{ app_group_id: 'g1', mail_send_type: '1' }, /mail_send_type must be/],
    [{ app_group_id: 'g1', mail_send_type: 'ADD_GROUP_AUTHORIZATION_SMS' }, /mail_send_type/],
    [{ app_group_id: 'g1', mail_send_result: 'success' }, /mail_send_result must be SUCCESS or FAIL/],
  ])('answers 400 naming the parameter for %o', async (query, message) => {
    const mock = await start({ records: stored });
    const error = await errorOf(await list(mock, query));
    expect(error).toMatchObject({ status: 400, error_code: 'WKS.0001' });
    expect(error.error_msg).toMatch(message);
  });

  it('requires authentication like the send API', async () => {
    const mock = await start({ records: stored });
    const response = await fetch(`${mock.url}/v1/${mock.projectId}/mails?app_group_id=g1`);
    expect(response.status).toBe(401);
  });
});
