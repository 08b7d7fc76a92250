import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Answer } from './answers.js';
import { parseJson, readBody } from './body.js';
import { FaultPlan } from './faults.js';
import { resolveOptions } from './options.js';
import { RecordStore } from './record-store.js';
import { bodyRecords, deliveredIds, firstValues, flattenHeaders, redactHeaders } from './request-log.js';
import { MockService } from './service.js';
import type { MockRequest, MockWorkspace, MockWorkspaceOptions } from './types.js';

/** On every answer, so a browser page on another origin can read the status and these headers. */
const corsHeaders: Readonly<Record<string, string>> = {
  'access-control-allow-origin': '*',
  'access-control-expose-headers': 'X-Request-Id, Retry-After',
};

const preflightHeaders: Readonly<Record<string, string>> = {
  'access-control-allow-methods': 'GET, POST, OPTIONS',
  'access-control-allow-headers':
    'Content-Type, X-Auth-Token, X-Language, X-Sdk-Date, Authorization, X-Security-Token, X-Project-Id',
  'access-control-max-age': '600',
};

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      const address = server.address();
      if (address === null || typeof address === 'string') reject(new Error('the mock server has no TCP address'));
      else resolve(address.port);
    });
  });
}

/**
 * Starts a mock of the Workspace mail API on 127.0.0.1: the send API
 * (`POST /v1/{project_id}/mails/actions/send`) and the listing API (`GET /v1/{project_id}/mails`),
 * validating requests as the service does and injecting faults on demand.
 *
 * @example
 * const mock = await startMockWorkspace({ poisonIds: ['bad'] });
 * mock.inject({ status: 503, retryAfter: 1 });
 * // … point the client at mock.url, mock.projectId, { token: mock.token } …
 * expect(mock.deliveredIds()).toEqual(['a', 'b']);
 * await mock.close();
 */
export async function startMockWorkspace(options?: MockWorkspaceOptions): Promise<MockWorkspace> {
  const resolved = resolveOptions(options);
  const faults = new FaultPlan(resolved.faults, resolved.random);
  const service = new MockService(resolved, faults, new RecordStore(resolved.records));
  const requests: MockRequest[] = [];
  const sockets = new Set<Socket>();
  const pendingWaits = new Set<() => void>();
  let closing: Promise<void> | undefined;

  /** Resolves `true` after `ms`, or `false` at once if the mock closes first. */
  function wait(ms: number): Promise<boolean> {
    if (closing !== undefined) return Promise.resolve(false);
    if (ms <= 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const release = (): void => {
        clearTimeout(timer);
        pendingWaits.delete(release);
        resolve(false);
      };
      const timer = setTimeout(() => {
        pendingWaits.delete(release);
        resolve(true);
      }, ms);
      pendingWaits.add(release);
    });
  }

  /** Writes (or drops) an answer after its latency; `false` if nothing reached the client. */
  async function deliver(
    request: IncomingMessage,
    response: ServerResponse,
    answer: Answer,
    headers: Record<string, string>,
    delayMs: number,
  ): Promise<boolean> {
    const waited = await wait(delayMs);
    // `response.socket` is null while a pipelined answer waits its turn: ask the request's socket.
    if (!waited || response.destroyed || request.socket.destroyed) return false;
    if (answer.kind === 'drop') {
      response.destroy();
      return false;
    }
    response.writeHead(answer.status, {
      ...headers,
      ...answer.headers,
      'content-length': String(Buffer.byteLength(answer.body)),
    });
    response.end(answer.body);
    return true;
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const at = resolved.clock();
    const id = randomBytes(16).toString('hex');
    const headers = { ...corsHeaders, 'x-request-id': id };
    if (request.method === 'OPTIONS') {
      request.resume();
      await deliver(request, response, { kind: 'reply', status: 204, headers: preflightHeaders, body: '' }, headers, resolved.latencyMs);
      return;
    }
    const body = await readBody(request, resolved.maxBodyBytes);
    const target = request.url ?? '/';
    // Split by hand, not with `new URL()`, which would resolve '..' and re-encode the path.
    const questionMark = target.indexOf('?');
    const path = questionMark === -1 ? target : target.slice(0, questionMark);
    const query = new URLSearchParams(questionMark === -1 ? '' : target.slice(questionMark + 1));
    const received = flattenHeaders(request.headers);
    const method = request.method ?? 'GET';
    const json = body.bytes === undefined ? undefined : parseJson(body.bytes);
    const decision = service.decide(
      { method, target, path, query, headers: received, body, json },
      resolved.clock(),
    );
    const parsedBody = json?.ok === true ? json.value : undefined;
    const records = decision.api === 'send' ? bodyRecords(parsedBody) : undefined;
    const entry: MockRequest = {
      at,
      id,
      method,
      path,
      query: firstValues(query),
      headers: redactHeaders(received),
      ...(records === undefined ? {} : { records }),
      ...(json?.ok === true ? { body: parsedBody } : {}),
      status: decision.answer.kind === 'drop' ? 'dropped' : decision.answer.status,
      ...(decision.fault === undefined ? {} : { fault: decision.fault }),
      api: decision.api,
    };
    requests.push(entry);
    const delivered = await deliver(request, response, decision.answer, headers, decision.delayMs + resolved.latencyMs);
    if (!delivered) entry.status = 'dropped';
  }

  const server = createServer((request, response) => {
    handle(request, response).catch(() => response.destroy());
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  const port = await listen(server, resolved.port);

  return {
    url: `http://127.0.0.1:${port}`,
    projectId: resolved.projectId,
    token: resolved.token,
    requests,
    deliveredIds: () => deliveredIds(requests),
    inject: (...injected) => faults.inject(injected),
    setRandom: (random) => faults.setRandom(random),
    reset: () => {
      requests.length = 0;
      faults.clear();
    },
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        for (const release of [...pendingWaits]) release();
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
}
