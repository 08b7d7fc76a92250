import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { useMocks } from '../helpers/mock-service.js';
import { signWithNodeCrypto } from '../helpers/sign-with-node-crypto.js';

/**
 * Known answers computed with a transcription of the official Python SDK's signer
 * (huaweicloudsdkcore.signer.Signer: `quote(s, safe='~')` per path segment and query part,
 * sorted lowercase headers, SK used directly), so that neither the mock's verifier nor the
 * test signer only agrees with itself.
 */
const ak = 'AKVECTOR';
const sk = 'sk-vector-secret';
const projectId = '0123456789abcdef0123456789abcdef';
const signedAt = Date.UTC(2025, 0, 15, 12, 0, 0);
const host = '127.0.0.1:8080';
const listPath = `/v1/${projectId}/mails?limit=5&app_group_id=g%201&account=o'neil*`;
const listSignature = 'd7cbcca43519d60c0053810afe751533a4a25d7fd3f84c2fd2d67521185a04ce';
const sendBody = '{"records":[{"id":"1"}]}';
const sendSignature = '959c62db645f563d21be1c14777b6b55c8c1f54cc99c0e8d49f66005dbb49872';

const start = useMocks();

/** Sends with node:http so the Host header can be the one the vector was signed for. */
function raw(url: string, method: string, path: string, headers: Record<string, string>, body = ''): Promise<number> {
  return new Promise((resolve, reject) => {
    const outgoing = request(`${url}${path}`, { method, headers: { ...headers, Host: host } }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

describe('SDK-HMAC-SHA256 known answers', () => {
  it('the test signer reproduces the official algorithm', () => {
    const signed = signWithNodeCrypto({
      method: 'GET',
      url: `http://${host}${listPath}`,
      headers: { 'X-Project-Id': projectId },
      ak,
      sk,
      date: signedAt,
    });
    expect(signed).toEqual({
      'X-Sdk-Date': '20250115T120000Z',
      Authorization: `SDK-HMAC-SHA256 Access=${ak}, SignedHeaders=host;x-project-id;x-sdk-date, Signature=${listSignature}`,
    });
  });

  it('the mock accepts requests signed by the official algorithm, and nothing else', async () => {
    const mock = await start({ projectId, credentials: [{ ak, sk }], clock: () => signedAt + 60_000 });
    const listHeaders = {
      'X-Sdk-Date': '20250115T120000Z',
      'X-Project-Id': projectId,
      Authorization: `SDK-HMAC-SHA256 Access=${ak}, SignedHeaders=host;x-project-id;x-sdk-date, Signature=${listSignature}`,
    };
    expect(await raw(mock.url, 'GET', listPath, listHeaders)).toBe(200);
    expect(await raw(mock.url, 'GET', listPath.replace('limit=5', 'limit=6'), listHeaders)).toBe(401);

    const sendHeaders = {
      'X-Sdk-Date': '20250115T120000Z',
      'Content-Type': 'application/json',
      Authorization: `SDK-HMAC-SHA256 Access=${ak}, SignedHeaders=content-type;host;x-sdk-date, Signature=${sendSignature}`,
    };
    const sendPath = `/v1/${projectId}/mails/actions/send`;
    expect(await raw(mock.url, 'POST', sendPath, sendHeaders, sendBody)).toBe(200);
    expect(await raw(mock.url, 'POST', sendPath, { ...sendHeaders, 'Content-Type': 'application/json; charset=utf-8' }, sendBody)).toBe(401);
    expect(mock.deliveredIds()).toEqual(['1']);
  });
});
