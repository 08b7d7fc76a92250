// Case: replaying sends from a service worker in real Chromium, side by side on the same
// scenarios: workbox-background-sync (the documented Queue in the worker's fetch handler, replay
// on `sync`) vs our outbox hosted in the app's service worker (`serveOutbox`, pages with
// `createOutbox({ sender: 'service-worker' })`). 200 records in batches of 20, queued while the
// browser is offline, then replayed with no page open: (a) 30 % 503 + 10 % 500, (b) 30 % dropped
// connections, (c) the browser SIGKILLed 3 times mid-replay and relaunched on its profile with no
// page, (d) the token searched for in the bytes of the profile after the records were queued.
import { existsSync } from 'node:fs';
import { chromiumExecutable } from '../../test-browser/chromium.js';
import { Samples, type BenchCase, type Goal, type Sample } from '../harness.js';
import { SYNC_SCHEDULE } from '../support/sw-replay-browser.js';
import { BATCH, RECORDS, runScenario, type RunResult, type Scenario } from '../support/sw-replay-scenarios.js';
import { OURS, oursSubject, WORKBOX, workboxSubject, type Subject } from '../support/sw-replay-subjects.js';

const SCENARIOS: readonly Scenario[] = [
  {
    group: 'a. 30 % 503 + 10 % 500',
    faults: [
      { probability: 0.3, fault: { status: 503 } },
      { probability: 0.1, fault: { status: 500 } },
    ],
    kills: [],
  },
  { group: 'b. 30 % dropped connections', faults: [{ probability: 0.3, fault: { drop: true } }], kills: [] },
  {
    group: 'c. SIGKILL ×3 mid-replay',
    faults: [],
    kills: [
      { event: 'answer-200', nth: 3, label: "the replay's 3rd 200 answer in transit" },
      { event: 'preflight', nth: 1, label: 'the first CORS preflight after the relaunch in transit (its POST not sent yet)' },
      { event: 'answer-200', nth: 2, label: 'the 2nd 200 answer after the relaunch in transit' },
    ],
  },
];
const TOKEN_GROUP = 'd. token at rest in the profile';
const VARIANTS = [WORKBOX, OURS];

function sampleOf(result: RunResult): Sample {
  return {
    value: result.delivered,
    extra: {
      lost: result.lost,
      duplicates: result.duplicates,
      'still queued': result.stillQueued,
      's to last delivery': result.seconds,
      POSTs: result.sends,
      preflights: result.preflights,
    },
  };
}

export const serviceWorkerReplay: BenchCase = {
  name: 'service-worker-replay',
  title: 'Replaying sends from a service worker in Chromium: workbox-background-sync vs wks-mail-outbox',
  async run({ quick, log }) {
    if (!existsSync(chromiumExecutable)) {
      log(`  Chromium is not at ${chromiumExecutable} (set CHROMIUM_PATH): case skipped`);
      return { params: {}, rows: [], goals: [], notes: [`Chromium is not at ${chromiumExecutable} (set CHROMIUM_PATH): case skipped`] };
    }
    const rounds = quick ? 1 : 3;
    const samples = new Samples();
    const results = new Map<string, RunResult[]>();
    const key = (group: string, variant: string) => `${group}\u0000${variant}`;
    const subjects: Subject[] = [];
    try {
      subjects.push(await workboxSubject(), await oursSubject());
      for (let round = 0; round < rounds; round++) {
        for (const scenario of SCENARIOS) {
          for (const subject of subjects) {
            const seed = 1000 + round;
            log(`  ${scenario.group} · ${subject.name} · round ${round + 1}/${rounds} (seed ${seed})`);
            const result = await runScenario(subject, scenario, seed, log);
            log(`    ${result.delivered} delivered, ${result.lost} lost, ${result.duplicates} duplicates, ${result.stillQueued} still queued, ${result.seconds.toFixed(1)} s (${result.ended}); token in ${result.tokenFiles.length} profile files`);
            samples.add(scenario.group, subject.name, sampleOf(result));
            samples.add(TOKEN_GROUP, subject.name, { value: result.tokenFiles.length });
            results.set(key(scenario.group, subject.name), [...(results.get(key(scenario.group, subject.name)) ?? []), result]);
          }
        }
      }
    } finally {
      for (const subject of subjects) await subject.close().catch(() => undefined);
    }

    const groups = SCENARIOS.map((scenario) => scenario.group);
    const rows = [
      ...samples.rows({ groups, variants: VARIANTS, metric: { name: 'delivered', unit: `of ${RECORDS}`, better: 'higher' }, baselines: [WORKBOX] }),
      ...samples.rows({ groups: [TOKEN_GROUP], variants: VARIANTS, metric: { name: 'profile files holding the token', unit: 'files', better: 'lower' }, baselines: [] }),
    ];
    const runsOf = (variant: string, group?: string) => SCENARIOS.filter((scenario) => !group || scenario.group === group).flatMap((scenario) => results.get(key(scenario.group, variant)) ?? []);
    const ours = runsOf(OURS);
    const kills = SCENARIOS.at(-1)?.kills.length ?? 0;
    const goals: Goal[] = [
      {
        goal: `${OURS} delivers ${RECORDS} of ${RECORDS} in a, b and c, none lost or left queued`,
        met: ours.every((run) => run.delivered === RECORDS && run.lost === 0 && run.stillQueued === 0),
        detail: ours.map((run) => `${run.delivered}/${run.lost}/${run.stillQueued}`).join(', ') + ' (delivered/lost/still queued per run)',
      },
      {
        goal: `${OURS} duplicates nothing in a and b, at most a batch (${BATCH}) per kill in c`,
        met: runsOf(OURS, groups[0]).concat(runsOf(OURS, groups[1])).every((run) => run.duplicates === 0) && runsOf(OURS, groups[2]).every((run) => run.duplicates <= BATCH * kills),
        detail: ours.map((run) => String(run.duplicates)).join(', '),
      },
      { goal: `${OURS} leaves no token in the profile`, met: ours.every((run) => run.tokenFiles.length === 0), detail: ours.map((run) => String(run.tokenFiles.length)).join(', ') + ' files' },
    ];
    // The app's port is in the IndexedDB directory's name: one name for every run.
    const perRun = SCENARIOS.map((scenario) => `${scenario.group}: ${VARIANTS.map((variant) => `${variant} ${(results.get(key(scenario.group, variant)) ?? []).map((run) => `${run.delivered}/${run.lost}/${run.duplicates}/${run.stillQueued}`).join(', ')}`).join('; ')}`);
    const workboxToken = [...new Set(runsOf(WORKBOX).flatMap((run) => run.tokenFiles.map((path) => path.replace(/_\d+\.indexeddb/, '_<port>.indexeddb'))))];
    const missedKills = [...results.values()].flat().flatMap((run) => run.kills).filter((kill) => !kill.hit).length;
    return {
      params: { records: RECORDS, batch: BATCH, rounds, seeds: Array.from({ length: rounds }, (_, round) => 1000 + round), syncSchedule: SYNC_SCHEDULE },
      rows,
      goals,
      notes: [
        `each run: a fresh profile and mock; ${RECORDS} records handed to a page in ${RECORDS / BATCH} batches of ${BATCH} while offline (context.setOffline: workbox's fetch handler queues each POST), the page closed, the scenario's faults set (seeded), back online; the worker replays with no page open on the browser's own events`,
        `Chromium's sync retry schedule scaled 1:60 through its field-trial parameters (${SYNC_SCHEDULE.attempts} attempts, then ${SYNC_SCHEDULE.initialRetrySec} s and ${SYNC_SCHEDULE.initialRetrySec * SYNC_SCHEDULE.factor} s; by default ${SYNC_SCHEDULE.chromiumInitialRetrySec / 60} and ${(SYNC_SCHEDULE.chromiumInitialRetrySec * SYNC_SCHEDULE.factor) / 60} min): workbox's times for retried replays stand for minutes, not seconds`,
        'delivered: distinct records the mock answered 200 (an answer lost to a kill still counts: the service did it); lost: neither delivered nor in the queue at the end; still queued: not delivered, in the queue, with no replay to come (workbox: its sync registration spent, until the next failed POST registers one)',
        `per run, delivered/lost/duplicates/still queued (the table shows medians): ${perRun.join(' | ')}`,
        `the mock answers in 50 ms behind a relay with 20 ms each way; the kills in c: ${SCENARIOS.at(-1)?.kills.map((kill) => kill.label).join('; ')}${missedKills ? ` (${missedKills} kill moments never came: killed when the wait ran out)` : ''}`,
        `${OURS}: the tests' app (test/service-worker/app: batches of 20, retry 20–400 ms, token from the app's /token in the worker); workbox: ${WORKBOX} 7.4.1, bench/support/workbox-app (a 5xx is a response, not a failure: not queued); token at rest (workbox): ${workboxToken.join(', ') || 'none'}`,
      ],
    };
  },
};
