// Attack on the modules loaded by dynamic import on first use: the AK/SK signer (signer.ts →
// sign-request.ts) and the Retry-After HTTP-date reader (retry-after-values.ts → http-date.ts).
// README: "`{ ak, sk, securityToken? }` signs each request"; `signRequest` is exported; the
// signer and the date reader are "Loaded only when used"; `Retry-After` is honoured as delta-
// seconds or HTTP-date ("never sooner than `Retry-After`"). Attacked: concurrent first calls, the
// first call after a failed load, an AK/SK outbox's first concurrent requests, and an HTTP-date
// Retry-After on the very first 503 an outbox sees.
import { describe, expect, it, vi } from 'vitest';
import { createOutbox, MemoryStore } from '../../../src/index.js';
import { ManualClock } from '../../helpers/manual-clock.js';
import { useMocks } from '../../helpers/mock-service.js';
import { signWithNodeCrypto } from '../../helpers/sign-with-node-crypto.js';
import { until } from '../../helpers/until.js';
import { within } from '../../helpers/within.js';

const loads = vi.hoisted(() => ({ signer: 0 }));
vi.mock('../../../src/api/sign-request.js', async (importOriginal) => {
  loads.signer++;
  return importOriginal();
});

const AK = 'HPUAPERFATTACKAK0001';
const SK = 'sk-perf-attack-0123456789abcdefABCDEF';
const startMock = useMocks();
const REQUEST = { method: 'POST', url: 'https://workspace.example.com/v1/p/mails/actions/send?b=2&a=1', headers: { 'Content-Type': 'application/json', 'X-Project-Id': 'p' }, body: '{"records":[]}' };

/** A fresh copy of the signer module (its loading state starts empty). */
async function freshSigner() {
  vi.resetModules();
  return import('../../../src/api/signer.js');
}

describe('signRequest on first use', () => {
  it('ten concurrent first calls load the chunk once and each signs correctly', async () => {
    const { signRequest } = await freshSigner();
    const before = loads.signer;
    const date = new Date(Date.UTC(2025, 4, 1, 8, 30, 0));
    const signed = await Promise.all(Array.from({ length: 10 }, () => signRequest(REQUEST, { ak: AK, sk: SK }, date)));
    expect(loads.signer - before).toBe(1);
    const expected = signWithNodeCrypto({ ...REQUEST, ak: AK, sk: SK, date });
    for (const headers of signed) expect(headers).toMatchObject({ 'X-Sdk-Date': expected['X-Sdk-Date'], Authorization: expected.Authorization });
  });

  it('after a failed load, the calls waiting on it reject and the next call loads it again and signs', async () => {
    vi.resetModules();
    let attempts = 0;
    vi.doMock('../../../src/api/sign-request.js', async (importOriginal) => {
      if (attempts++ === 0) throw new Error('chunk not reachable');
      return importOriginal();
    });
    const { signRequest } = await import('../../../src/api/signer.js');
    const date = new Date(Date.UTC(2025, 4, 1, 8, 30, 0));
    const failed = await Promise.allSettled([signRequest(REQUEST, { ak: AK, sk: SK }, date), signRequest(REQUEST, { ak: AK, sk: SK }, date)]);
    expect(failed.map((result) => result.status)).toEqual(['rejected', 'rejected']);
    const again = await signRequest(REQUEST, { ak: AK, sk: SK }, date);
    vi.doUnmock('../../../src/api/sign-request.js');
    expect(attempts).toBe(2);
    expect(again.Authorization).toBe(signWithNodeCrypto({ ...REQUEST, ak: AK, sk: SK, date }).Authorization);
  });
});

describe('an AK/SK outbox', () => {
  it('sends its first requests concurrently, each signed (the mock verifies), and delivers everything once', async () => {
    vi.resetModules();
    const mock = await startMock({ credentials: [{ ak: AK, sk: SK, securityToken: 'sts-token' }], latencyMs: 20 });
    const outbox = createOutbox({ endpoint: mock.url, projectId: mock.projectId, auth: { ak: AK, sk: SK, securityToken: 'sts-token' }, store: new MemoryStore(), batchSize: 5, concurrency: 3 });
    try {
      const ids = Array.from({ length: 30 }, (_, index) => `ak-${index}`);
      await outbox.enqueue(ids.map((id) => ({ id })));
      expect(await within(outbox.drain(), 'the drain')).toEqual({ sent: 30, failed: 0, pending: 0 });
      expect(mock.requests.map((request) => request.status)).toEqual(Array(6).fill(200));
      expect(mock.deliveredIds().sort()).toEqual([...ids].sort());
    } finally {
      await outbox.close();
    }
  });
});

describe('an HTTP-date Retry-After on the very first 503', () => {
  it('loads the date reader and holds the record back that long on the outbox clock, not sooner', { timeout: 30_000 }, async () => {
    const mock = await startMock({ faults: [{ status: 503, retryAfter: new Date(Date.now() + 5_000).toUTCString() }] });
    const clock = new ManualClock();
    const stop = clock.followRealTime();
    const outbox = createOutbox({ endpoint: mock.url, projectId: mock.projectId, auth: { token: mock.token }, store: new MemoryStore(), now: clock.now, retry: { minDelayMs: 10, maxDelayMs: 200, jitter: 0 } });
    const retrying: Array<{ delayMs: number; retryAt: number }> = [];
    const sendingAt: number[] = [];
    outbox.on('retrying', ({ delayMs, retryAt }) => retrying.push({ delayMs, retryAt }));
    outbox.on('sending', () => sendingAt.push(clock.now()));
    try {
      await outbox.enqueue({ id: 'dated' });
      expect(await within(outbox.drain(), 'the drain', 20_000)).toEqual({ sent: 1, failed: 0, pending: 0 });
      // The HTTP-date has whole seconds and is read a moment after it was made: 3-5 s on a busy machine.
      expect(retrying).toHaveLength(1);
      expect(retrying[0]!.delayMs).toBeGreaterThanOrEqual(3_000);
      expect(retrying[0]!.delayMs).toBeLessThanOrEqual(5_000);
      expect(sendingAt).toHaveLength(2);
      expect(sendingAt[1]).toBeGreaterThanOrEqual(retrying[0]!.retryAt);
      expect(mock.deliveredIds()).toEqual(['dated']);
    } finally {
      stop();
      await outbox.close();
    }
  });
});
