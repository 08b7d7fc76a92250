// Raw HTTP against the mock service, for the tests of the mock itself: its URLs, a send and a
// listing call with its token, and reading an error answer.
import { expect } from 'vitest';
import type { MockWorkspace } from '../../src/mock-server.js';

/** The mock's send URL (for `projectId`, the mock's own by default). */
export const sendUrl = (mock: MockWorkspace, projectId = mock.projectId): string =>
  `${mock.url}/v1/${projectId}/mails/actions/send`;

/** The mock's listing URL with `query`. */
export const listUrl = (mock: MockWorkspace, query: Record<string, string | number> = {}): string => {
  const search = new URLSearchParams(Object.entries(query).map(([key, value]) => [key, String(value)]));
  return `${mock.url}/v1/${mock.projectId}/mails${search.size > 0 ? `?${search}` : ''}`;
};

/** A send body `{ records: [{ id }, …] }` for `ids`. */
export const sendBody = (...ids: string[]): { records: Array<{ id: string }> } => ({ records: ids.map((id) => ({ id })) });

/** POSTs a send body (a value is JSON-encoded, a string is sent as is) with the mock's token. */
export function send(
  mock: MockWorkspace,
  body: unknown,
  headers: Record<string, string> = {},
  url = sendUrl(mock),
): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Auth-Token': mock.token, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** GETs the listing API with the mock's token. */
export function list(mock: MockWorkspace, query: Record<string, string | number> = {}): Promise<Response> {
  return fetch(listUrl(mock, query), { headers: { 'X-Auth-Token': mock.token } });
}

/** The `{ error_code, error_msg }` of an error answer, with its status. */
export async function errorOf(response: Response): Promise<{ status: number; error_code: string; error_msg: string }> {
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  const body = (await response.json()) as { error_code: string; error_msg: string };
  return { status: response.status, error_code: body.error_code, error_msg: body.error_msg };
}
