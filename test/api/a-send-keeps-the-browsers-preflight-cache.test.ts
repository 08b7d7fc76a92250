// What the client asks of the browser's HTTP layer: a list answer (it holds addresses) is never
// stored in the HTTP cache (`cache: 'no-store'`); a send (POST, never cached anyway) leaves the
// cache mode alone, because 'no-store' makes browsers skip their CORS preflight cache (a
// preflight before every request: twice the round trips, as the service-worker bench showed).
import { describe, expect, it } from 'vitest';
import { listAuthorizationMailRecords, resendAuthorizationMails } from '../../src/index.js';
import { callOptions, useMock } from '../helpers/api-calls.js';

const mock = useMock();

describe('the cache mode of each call', () => {
  it("a send leaves it to the browser; a list is 'no-store'", async () => {
    const modes: Array<[string, RequestCache | undefined]> = [];
    const fetch = ((input: RequestInfo | URL, init?: RequestInit) => {
      modes.push([String(init?.method), init?.cache]);
      return globalThis.fetch(input, init);
    }) as typeof globalThis.fetch;
    await resendAuthorizationMails({ ...callOptions(mock.current), fetch, records: [{ id: 'a' }] });
    await listAuthorizationMailRecords({ ...callOptions(mock.current), fetch, appGroupId: 'ag-1' });
    expect(modes).toEqual([
      ['POST', undefined],
      ['GET', 'no-store'],
    ]);
  });
});
