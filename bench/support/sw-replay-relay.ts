// A TCP relay between Chromium and the mock service for the service-worker-replay bench: a path
// with a little latency each way (as a network has), that reports what crosses it, so the bench
// can kill the browser at a chosen moment of a replay (a CORS preflight under way, a POST under
// way). Bytes the browser already wrote go on to the service after the browser dies (as the
// kernel would send them), and an answer the service writes is taken (the mock logs it 200)
// even when the browser is gone: the service did the work, only its answer is lost.
import { connect, createServer, type Socket } from 'node:net';

/** What crossed the relay: a request leaving the browser, or a 200 leaving the service. */
export type RelayEvent = 'preflight' | 'post' | 'answer-200';

export interface DelayRelay {
  /** `http://127.0.0.1:<port>`: give it to the pages and workers instead of the mock's url. */
  readonly url: string;
  /** When something last crossed (performance.now()), either way. */
  readonly lastTrafficAt: number;
  /** Counts of each event since the relay started. */
  readonly counts: Readonly<Record<RelayEvent, number>>;
  /** Resolves at the `nth` (1-based) `event` from now on, or rejects after `timeoutMs`. */
  next(event: RelayEvent, nth: number, timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

/** How long the service may take to answer a browser that died. */
const ANSWER_GRACE_MS = 5_000;

const START: Record<string, RelayEvent> = { 'OPTIONS ': 'preflight', 'POST ': 'post', 'HTTP/1.1 200': 'answer-200' };

function eventOf(chunk: Buffer): RelayEvent | undefined {
  for (const [prefix, event] of Object.entries(START)) if (chunk.subarray(0, prefix.length).toString('latin1') === prefix) return event;
  return undefined;
}

export async function startDelayRelay(target: string, delayMs: number): Promise<DelayRelay> {
  const { hostname, port } = new URL(target);
  const sockets = new Set<Socket>();
  const counts: Record<RelayEvent, number> = { preflight: 0, post: 0, 'answer-200': 0 };
  const waiters = new Set<{ event: RelayEvent; left: number; done: () => void }>();
  let lastTrafficAt = performance.now();

  const seen = (event: RelayEvent | undefined) => {
    lastTrafficAt = performance.now();
    if (!event) return;
    counts[event]++;
    for (const waiter of [...waiters]) {
      if (waiter.event !== event || --waiter.left > 0) continue;
      waiters.delete(waiter);
      waiter.done();
    }
  };
  /** Relays `from` → `to` after the delay. */
  const relay = (from: Socket, to: Socket) => {
    from.on('data', (chunk: Buffer) => {
      seen(eventOf(chunk));
      setTimeout(() => void (to.destroyed ? undefined : to.write(chunk)), delayMs);
    });
  };

  const server = createServer({ allowHalfOpen: true }, (browser) => {
    const service = connect({ host: hostname, port: Number(port) });
    for (const socket of [browser, service]) {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
      socket.on('error', () => undefined);
    }
    relay(browser, service);
    relay(service, browser);
    service.once('end', () => setTimeout(() => browser.end(), delayMs));
    service.once('close', () => setTimeout(() => browser.destroy(), delayMs));
    // The browser closed or died (a killed process's sockets are closed by the kernel): what it
    // wrote still reaches the service, which is left time to answer (the answer is read and
    // dropped) before its connection is closed; a half-close would make the mock abort it.
    let leaving = false;
    const browserGone = () => {
      if (leaving) return;
      leaving = true;
      setTimeout(() => service.destroy(), delayMs + ANSWER_GRACE_MS);
    };
    browser.once('end', browserGone);
    browser.once('close', browserGone);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('the relay has no TCP address');
  return {
    url: `http://127.0.0.1:${address.port}`,
    get lastTrafficAt() {
      return lastTrafficAt;
    },
    counts,
    next(event, nth, timeoutMs) {
      return new Promise<void>((resolve, reject) => {
        const waiter = { event, left: nth, done: () => (clearTimeout(timer), resolve()) };
        const timer = setTimeout(() => (waiters.delete(waiter), reject(new Error(`no ${event} #${nth} within ${timeoutMs} ms`))), timeoutMs);
        waiters.add(waiter);
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}
