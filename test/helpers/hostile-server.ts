// A raw node:http server on 127.0.0.1 that answers whatever a test tells it to: headers the
// project's mock would never send (several Retry-After, huge X-Request-Id, secrets echoed back).
// Closed after the test file.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll } from 'vitest';

/** What the server answers one request with. */
export interface HostileAnswer {
  status: number;
  /** Raw headers; an array value sends the header once per element. */
  headers?: Record<string, string | string[]>;
  /** The body (a JSON value is stringified); none when absent. */
  body?: unknown;
}

/** A request as the server received it. */
export interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
}

export interface HostileServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  received: Received[];
}

/** Starts servers that answer with `answer(request)`; every server started is closed after the file. */
export function useHostileServers(): (answer: (request: Received) => HostileAnswer) => Promise<HostileServer> {
  const servers: Server[] = [];
  afterAll(async () => {
    await Promise.all(
      servers.splice(0).map((server) => {
        server.closeAllConnections();
        return new Promise<void>((resolve) => server.close(() => resolve()));
      }),
    );
  });
  return async (answer) => {
    const received: Received[] = [];
    const server = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        const seen: Received = { method: request.method ?? '', url: request.url ?? '', headers: request.headers };
        received.push(seen);
        const { status, headers = {}, body } = answer(seen);
        const text = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
        response.writeHead(status, { ...(body === undefined || typeof body === 'string' ? {} : { 'content-type': 'application/json' }), ...headers });
        response.end(text);
      });
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return { url: `http://127.0.0.1:${port}`, received };
  };
}
