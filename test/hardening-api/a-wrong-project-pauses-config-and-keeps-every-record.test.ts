// A wrong project id once dead-lettered everything: the gateway's 404 for an unknown project or
// API was taken for a per-record rejection, so batches were split down to single records and all
// were dead-lettered. Now a 404 that says the project or the API does not exist (or carries a
// gateway code, or has no error body) pauses the outbox (`config`) and keeps every record; only a
// 404 about records is split and dead-lettered. And a project id must have the documented format.
import { describe, expect, it } from 'vitest';
import { classifyAnswer, createOutbox, isApiError, MemoryStore, resendAuthorizationMails, type OutboxEvents } from '../../src/index.js';
import { startMockWorkspace, type MockWorkspace } from '../../src/mock-server.js';
import { useHostileServers } from '../helpers/hostile-server.js';
import { PROJECT } from '../helpers/project.js';

const WRONG_PROJECT = 'fedcba9876543210fedcba9876543210';

describe('classifyAnswer: which 404 is about the call, which about records', () => {
  it.each<[string, string | undefined, string | undefined]>([
    ['the gateway: API not published', 'APIG.0101', 'The API does not exist or has not been published in the environment'],
    ['a sibling gateway', 'APIC.0101', 'The API does not exist or has not been published in the environment'],
    ['any gateway code', 'APIGW.0404', 'Not Found'],
    ['a lower-case gateway code', 'apig.0101', undefined],
    ['a service code saying the project is not found', 'WKS.0404', 'No resources found: project not found'],
    ['a project that does not exist', 'WKS.0002', 'The project 0123456789abcdef0123456789abcdef does not exist'],
    ['an unknown project', 'IAM.0009', 'unknown project'],
    ['no such API', undefined, 'no such API'],
    ['in Chinese', 'WKS.0404', '项目不存在'],
    ['no error body at all (a proxy\'s 404 page)', undefined, undefined],
  ])('%s is "config"', (_what, code, message) => {
    expect(classifyAnswer(404, code, message)).toBe('config');
  });

  it.each<[string, string | undefined, string | undefined]>([
    ['an unknown record', 'WKS.0404', 'No resources found: authorization email record gone-1'],
    ['the service\'s plain "not found"', 'WKS.0404', 'No resources found'],
    ['a code alone', 'WKS.0404', undefined],
    ['a message alone', undefined, 'authorization email record r-7 not found'],
  ])('%s stays "rejected"', (_what, code, message) => {
    expect(classifyAnswer(404, code, message)).toBe('rejected');
  });

  it('other statuses are classified as before', () => {
    expect(classifyAnswer(400, 'APIG.0101', 'The API does not exist')).toBe('rejected');
    expect(classifyAnswer(429, 'APIG.0308')).toBe('retryable');
    expect(classifyAnswer(404, 'APIG.0308')).toBe('retryable');
    expect(classifyAnswer(401, 'APIG.1002')).toBe('auth');
    expect(classifyAnswer(403, 'APIG.1005')).toBe('forbidden');
  });
});

describe('a 404 from a real server without a usable error body is "config"', () => {
  const startServer = useHostileServers();

  it.each<[string, string | undefined, Record<string, string>]>([
    ['an HTML page', '<html><body><h1>404 Not Found</h1></body></html>', { 'content-type': 'text/html' }],
    ['an empty body', undefined, {}],
    ['JSON without error fields', '{"message":"Not Found"}', { 'content-type': 'application/json' }],
  ])('%s', async (_what, body, headers) => {
    const server = await startServer(() => ({ status: 404, headers, ...(body === undefined ? {} : { body }) }));
    const error = await resendAuthorizationMails({ endpoint: server.url, projectId: PROJECT, auth: { token: 'token-1234' }, records: [{ id: 'r1' }] }).catch(
      (rejection: unknown) => rejection,
    );
    expect(isApiError(error) && error.kind).toBe('config');
  });
});

describe('an outbox against the mock', () => {
  async function withMock<T>(options: Parameters<typeof startMockWorkspace>[0], run: (mock: MockWorkspace) => Promise<T>): Promise<T> {
    const mock = await startMockWorkspace(options);
    try {
      return await run(mock);
    } finally {
      await mock.close();
    }
  }

  it('with a wrong project id pauses "config" after one request, keeps every record pending, dead-letters none', async () => {
    await withMock({}, async (mock) => {
      const outbox = createOutbox({ endpoint: mock.url, projectId: WRONG_PROJECT, auth: { token: mock.token }, store: new MemoryStore(), batchSize: 10 });
      const paused: Array<OutboxEvents['paused']> = [];
      const failed: Array<OutboxEvents['failed']> = [];
      outbox.on('paused', (event) => paused.push(event));
      outbox.on('failed', (event) => failed.push(event));
      try {
        await outbox.enqueue(Array.from({ length: 40 }, (_, index) => ({ id: `r${index}` })));
        expect(await outbox.drain()).toEqual({ sent: 0, failed: 0, pending: 40 });
        expect(outbox.pausedReason).toBe('config');
        expect(mock.requests.map((request) => [request.path, request.status])).toEqual([[`/v1/${WRONG_PROJECT}/mails/actions/send`, 404]]);
        expect(paused).toHaveLength(1);
        expect(paused[0]?.error).toMatchObject({ status: 404, kind: 'config', errorCode: 'APIG.0101', errorMsg: expect.stringMatching(/project not found/) });
        expect(failed).toEqual([]);
        expect(await outbox.dead()).toEqual([]);
        const pending = await outbox.pending();
        expect(pending).toHaveLength(40);
        expect(pending.every((entry) => entry.state === 'pending' && entry.projectId === WRONG_PROJECT)).toBe(true);
      } finally {
        await outbox.close();
      }
    });
  });

  it('with a record-level 404 still splits the batch and dead-letters only the unknown record', async () => {
    await withMock({ unknownIds: ['r13'] }, async (mock) => {
      const outbox = createOutbox({ endpoint: mock.url, projectId: mock.projectId, auth: { token: mock.token }, store: new MemoryStore(), batchSize: 20 });
      try {
        await outbox.enqueue(Array.from({ length: 20 }, (_, index) => ({ id: `r${index}` })));
        expect(await outbox.drain()).toEqual({ sent: 19, failed: 1, pending: 0 });
        expect(outbox.pausedReason).toBeUndefined();
        const dead = await outbox.dead();
        expect(dead.map((entry) => [entry.record.id, entry.deadReason, entry.lastError?.status, entry.lastError?.kind])).toEqual([['r13', 'rejected', 404, 'rejected']]);
        expect(mock.deliveredIds().sort()).toEqual(Array.from({ length: 20 }, (_, index) => `r${index}`).filter((id) => id !== 'r13').sort());
      } finally {
        await outbox.close();
      }
    });
  });
});

describe('a project id must have the documented format: 32 lowercase hex characters', () => {
  const options = { endpoint: 'http://127.0.0.1:9', auth: { token: 'unused' }, store: new MemoryStore() };

  it.each(['p1', 'maintenance', 'v1.2', '0123456789abcdef0123456789abcde', `${PROJECT}0`, 'g'.repeat(32)])('%j is refused by createOutbox, naming the format', (projectId) => {
    expect(() => createOutbox({ ...options, projectId })).toThrow(/^projectId must be a project ID: 32 lowercase hex characters/);
  });

  it('upper-case hex is refused with a hint to write it in lower case', () => {
    expect(() => createOutbox({ ...options, projectId: PROJECT.toUpperCase() })).toThrow(`use "${PROJECT}"`);
  });

  it('enqueue(…, { projectId }) refuses a malformed one and stores nothing', async () => {
    const store = new MemoryStore();
    const outbox = createOutbox({ ...options, store, projectId: PROJECT });
    try {
      await expect(outbox.enqueue({ id: 'r1' }, { projectId: 'p1' })).rejects.toThrow(/projectId must be a project ID: 32 lowercase hex/);
      expect((await store.load()).entries).toEqual([]);
    } finally {
      await outbox.close();
    }
  });

  it('the mock\'s own project must have it too', async () => {
    await expect(startMockWorkspace({ projectId: 'p1' })).rejects.toThrow(/`projectId`.*32 lowercase hex/);
  });
});
