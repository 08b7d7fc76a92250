import { describe, expect, inject, it } from 'vitest';
import { ApiError, isApiError, listAuthorizationMailRecords, resendAuthorizationMails } from '../src/index.js';

const call = () => ({ endpoint: inject('mockUrl'), projectId: inject('mockProjectId'), auth: { token: inject('mockToken') } });

describe('the client in real Chromium, calling the mock service cross-origin', () => {
  it('runs in a page whose origin differs from the service (so CORS is exercised)', () => {
    expect(location.origin).not.toBe(new URL(inject('mockUrl')).origin);
    expect(typeof indexedDB).toBe('object');
  });

  it('resends records and reads the X-Request-Id exposed through CORS', async () => {
    const result = await resendAuthorizationMails({ ...call(), language: 'en-us', records: [{ id: 'b-1' }, { id: 'b-2' }] });
    expect(result.count).toBe(2);
    expect(result.requestId).toMatch(/\S/);
  });

  it('surfaces a rejected record as an ApiError with its code and request id', async () => {
    const error = await resendAuthorizationMails({ ...call(), records: [{ id: 'poison-1' }] }).catch((e: unknown) => e);
    expect(isApiError(error)).toBe(true);
    const apiError = error as ApiError;
    expect(apiError.status).toBe(400);
    expect(apiError.kind).toBe('rejected');
    expect(apiError.errorCode).toMatch(/^WKS\./);
    expect(apiError.requestId).toMatch(/\S/);
  });

  it('classifies a wrong token as auth, without the token in the error', async () => {
    const secret = 'browser-secret-token-123';
    const error = await resendAuthorizationMails({ ...call(), auth: { token: secret }, records: [{ id: 'x' }] }).catch((e: unknown) => e);
    expect((error as ApiError).kind).toBe('auth');
    expect(JSON.stringify(error) + String(error) + (error as Error).stack).not.toContain(secret);
  });

  it('signs with AK/SK through Web Crypto in the browser, verified independently by the mock', async () => {
    const keys = { ak: inject('mockAk'), sk: inject('mockSk') };
    const result = await resendAuthorizationMails({ ...call(), auth: keys, records: [{ id: 'signed-1' }] });
    expect(result.count).toBe(1);
    const wrong = await resendAuthorizationMails({ ...call(), auth: { ...keys, sk: 'not-the-secret-key' }, records: [{ id: 'x' }] }).catch(
      (e: unknown) => e,
    );
    expect((wrong as ApiError).status).toBe(401);
    expect(JSON.stringify(wrong) + String(wrong)).not.toContain('not-the-secret-key');
  });

  it('lists records through CORS', async () => {
    const page = await listAuthorizationMailRecords({ ...call(), appGroupId: 'group-1' });
    expect(page.count).toBe(0);
    expect(page.records).toEqual([]);
  });
});
