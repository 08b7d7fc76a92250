// One run of one scenario of the service-worker-replay bench for one subject: 200 records handed
// to a page in 10 batches of 20 while the browser is offline (`context.setOffline(true)`, so
// workbox queues every POST and neither worker can send), the token searched for in the
// profile's bytes, then the page closed, the scenario's faults set on the mock, the browser put
// back online, and the worker left to replay on the browser's own events (the `sync` event of
// being back online, and its retries); in scenario c the browser is SIGKILLed at chosen moments
// and relaunched on the same profile with no page. The run ends when every record is delivered
// and nothing has moved for a while, or when nothing has moved for longer than Chromium's
// longest (scaled) sync retry delay.
import { startMockWorkspace, type MockRandomFaults, type MockRequest } from '../../src/mock-server.js';
import { AppBrowser } from '../../test/helpers/service-worker-app.js';
import { filesHolding, launchWithSyncSchedule, SYNC_SCHEDULE } from './sw-replay-browser.js';
import { startDelayRelay, type RelayEvent } from './sw-replay-relay.js';
import type { Subject } from './sw-replay-subjects.js';

export const RECORDS = 200;
export const BATCH = 20;
/** The mock's answer time and the relay's one-way delay (ms): a send takes ~90 ms. */
const SERVICE_MS = 50;
const PATH_MS = 20;
/** Done once all are delivered and nothing moved for this long (late duplicates would show). */
const SETTLED_MS = 5_000;
/** Given up once nothing moved for longer than the longest scaled sync retry delay, with margin. */
const QUIET_MS = 2 * SYNC_SCHEDULE.initialRetrySec * SYNC_SCHEDULE.factor * 1000;
const RUN_CAP_MS = 5 * 60_000;
const KILL_WAIT_MS = 120_000;

/** Kill the browser at the `nth` `event` (counted from the page's closing, then from each relaunch). */
export interface KillPoint {
  readonly event: RelayEvent;
  readonly nth: number;
  readonly label: string;
}

export interface Scenario {
  readonly group: string;
  readonly faults: MockRandomFaults['faults'];
  readonly kills: readonly KillPoint[];
}

export interface KillOutcome {
  readonly label: string;
  /** false: the moment never came (no replay after the relaunch) within the wait; killed anyway. */
  readonly hit: boolean;
  readonly deliveredBefore: number;
}

export interface RunResult {
  delivered: number;
  lost: number;
  duplicates: number;
  /** Not delivered, still in the subject's queue at the end (waiting for a wake-up that may not come). */
  stillQueued: number;
  /** From the browser being back online to the last first delivery (s). */
  seconds: number;
  sends: number;
  preflights: number;
  /** Profile files (relative paths) whose bytes held the token after the records were queued. */
  tokenFiles: string[];
  ended: 'all delivered' | 'nothing moved' | 'cap';
  kills: KillOutcome[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runScenario(subject: Subject, scenario: Scenario, seed: number, log: (line: string) => void): Promise<RunResult> {
  const mock = await startMockWorkspace({ latencyMs: SERVICE_MS });
  const relay = await startDelayRelay(mock.url, PATH_MS);
  const browser = new AppBrowser();
  const run = `replay-${seed}`;
  const ids = Array.from({ length: RECORDS }, (_, index) => `r${String(index).padStart(3, '0')}`);
  const uniqueDelivered = () => new Set(mock.deliveredIds()).size;
  const logFrom = subject.workerLog().length;
  try {
    let context = await launchWithSyncSchedule(browser);
    const page = await subject.open(context, { url: relay.url, mock }, run);
    await context.setOffline(true);
    for (let start = 0; start < RECORDS; start += BATCH) await page.enqueue(ids.slice(start, start + BATCH));
    const tokenFiles = await filesHolding(browser.profile, mock.token);
    if (scenario.faults.length > 0) mock.setRandom({ seed, faults: scenario.faults });
    await page.page.close();

    const kills: KillOutcome[] = [];
    // Each kill's moment is awaited from before the browser can reach it (going online, a relaunch).
    const momentOf = (kill: KillPoint) => relay.next(kill.event, kill.nth, KILL_WAIT_MS).then(() => true, () => false);
    let moment = scenario.kills[0] ? momentOf(scenario.kills[0]) : Promise.resolve(false);
    const onlineAt = Date.now();
    await context.setOffline(false);
    for (const [index, kill] of scenario.kills.entries()) {
      const hit = await moment;
      await browser.kill();
      kills.push({ label: kill.label, hit, deliveredBefore: uniqueDelivered() });
      log(`    kill ${index + 1} at ${kill.label}: ${hit ? '' : 'the moment never came, '}${uniqueDelivered()} delivered so far`);
      const following = scenario.kills[index + 1];
      if (following) moment = momentOf(following);
      context = await launchWithSyncSchedule(browser);
    }

    const started = performance.now();
    let ended: RunResult['ended'] = 'cap';
    while (performance.now() - started < RUN_CAP_MS) {
      await sleep(100);
      const quiet = performance.now() - relay.lastTrafficAt;
      if (uniqueDelivered() === RECORDS && quiet >= SETTLED_MS) {
        ended = 'all delivered';
        break;
      }
      if (quiet >= QUIET_MS) {
        ended = 'nothing moved';
        break;
      }
    }
    const workerLog = subject.workerLog().slice(logFrom);
    if (ended !== 'all delivered' && workerLog.length > 0) log(`    the worker's last events (of ${workerLog.length}):\n${workerLog.slice(-30).map((line) => `      ${line}`).join('\n')}`);
    const queued = await subject.queuedIds(context, run);
    return { ...tally(mock.requests, onlineAt, queued), sends: relay.counts.post, preflights: relay.counts.preflight, tokenFiles, ended, kills };
  } finally {
    await browser.dispose();
    await relay.close();
    await mock.close();
  }
}

type Tally = Pick<RunResult, 'delivered' | 'lost' | 'duplicates' | 'stillQueued' | 'seconds'>;

/** Deliveries as the mock saw them (sends it answered 200), against what is still queued. */
function tally(requests: readonly MockRequest[], onlineAt: number, queued: readonly string[]): Tally {
  const delivered = new Set<string>();
  let deliveries = 0;
  let lastFirstAt = onlineAt;
  for (const request of requests) {
    if (request.api !== 'send' || request.status !== 200) continue;
    for (const { id } of request.records ?? []) {
      deliveries++;
      if (delivered.has(id)) continue;
      delivered.add(id);
      lastFirstAt = Math.max(lastFirstAt, request.at);
    }
  }
  const waiting = new Set(queued.filter((id) => !delivered.has(id)));
  return {
    delivered: delivered.size,
    duplicates: deliveries - delivered.size,
    stillQueued: waiting.size,
    lost: RECORDS - delivered.size - waiting.size,
    seconds: (lastFirstAt - onlineAt) / 1000,
  };
}
