// The AK/SK signing code (src/api/sign-request.ts) is a chunk of its own, loaded by the first
// request that needs it: token auth (the client or an outbox) never loads it, and the very first
// AK/SK request is signed correctly (the mock verifies the signature) because the load finishes
// before the request is made. Loaded once, then reused.
import { describe, expect, it, vi } from 'vitest';
import { createOutbox, MemoryStore, resendAuthorizationMails } from '../../src/index.js';
import { callOptions, lastRequest, useMock } from '../helpers/api-calls.js';

const loads = vi.hoisted(() => ({ count: 0 }));
vi.mock('../../src/api/sign-request.js', async (importOriginal) => {
  loads.count++;
  return importOriginal();
});

const AK = 'HPUAEXAMPLEAK0123456';
const SK = 'sk-example-0123456789abcdefghijABCDEFGHIJ';
const mock = useMock({ credentials: [{ ak: AK, sk: SK }] });

// In order: the token cases run before anything has loaded the signer.
describe('the AK/SK signer is loaded on demand', () => {
  it('a token call does not load it', async () => {
    await resendAuthorizationMails({ ...callOptions(mock.current), records: [{ id: 'token-1' }] });
    await resendAuthorizationMails({ ...callOptions(mock.current, { auth: { token: () => mock.current.token } }), records: [{ id: 'token-2' }] });
    expect(mock.current.deliveredIds()).toEqual(['token-1', 'token-2']);
    expect(loads.count).toBe(0);
  });

  it('an outbox with token auth sends without loading it', async () => {
    const outbox = createOutbox({ ...callOptions(mock.current), store: new MemoryStore() });
    try {
      await outbox.enqueue([{ id: 'outbox-1' }, { id: 'outbox-2' }]);
      expect(await outbox.drain()).toMatchObject({ sent: 2, failed: 0, pending: 0 });
    } finally {
      await outbox.close();
    }
    expect(loads.count).toBe(0);
  });

  it('the first AK/SK call loads it and is signed correctly; later calls reuse it', async () => {
    const signed = { ...callOptions(mock.current), auth: { ak: AK, sk: SK } };
    await resendAuthorizationMails({ ...signed, records: [{ id: 'signed-1' }] });
    expect(loads.count).toBe(1);
    const first = lastRequest(mock.current);
    expect(first.status).toBe(200);
    expect(first.headers['x-sdk-date']).toMatch(/^\d{8}T\d{6}Z$/);
    expect(first.headers['x-auth-token']).toBeUndefined();

    await resendAuthorizationMails({ ...signed, records: [{ id: 'signed-2' }] });
    expect(lastRequest(mock.current).status).toBe(200);
    expect(mock.current.deliveredIds()).toEqual(['signed-1', 'signed-2']);
    expect(loads.count).toBe(1);
  });

  it('a wrong secret on a signed call is still refused (the loaded signer really signs)', async () => {
    const error = await resendAuthorizationMails({ ...callOptions(mock.current), auth: { ak: AK, sk: `${SK}-wrong` }, records: [{ id: 'bad' }] }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toMatchObject({ name: 'ApiError', status: 401 });
    expect(mock.current.deliveredIds()).toEqual([]);
  });
});
