// The sends the mock received, and the pairs of them that overlapped in time: every sender sends
// one request at a time (concurrency 1) and the mock answers each after `latencyMs`, so a send that
// arrived sooner than that after the previous one came from a second sender at the same moment.
import type { MockRequest, MockWorkspace } from '../../src/mock-server.js';
import { until } from '../helpers/until.js';

export const sendsOf = (mock: MockWorkspace): MockRequest[] => mock.requests.filter((request) => request.api === 'send');

/** Consecutive sends less than `latencyMs` apart (1 ms allowed for the clock's rounding), as [at, at]. */
export function overlapping(mock: MockWorkspace, latencyMs: number): Array<[number, number]> {
  const sends = sendsOf(mock);
  const pairs: Array<[number, number]> = [];
  for (let i = 1; i < sends.length; i++) {
    const [before, after] = [sends[i - 1]!, sends[i]!];
    if (before.status !== 'dropped' && after.at - before.at < latencyMs - 1) pairs.push([before.at, after.at]);
  }
  return pairs;
}

/** Until the mock has `count` distinct records delivered; a timeout quotes the workers' last log lines. */
export async function untilDelivered(mock: MockWorkspace, count: number, what: string, timeoutMs: number, log: readonly string[]): Promise<void> {
  try {
    await until(() => new Set(mock.deliveredIds()).size >= count, what, timeoutMs);
  } catch (error) {
    throw new Error(`${(error as Error).message} (${new Set(mock.deliveredIds()).size} delivered)\nthe workers' last lines:\n${log.slice(-40).join('\n')}`);
  }
}
