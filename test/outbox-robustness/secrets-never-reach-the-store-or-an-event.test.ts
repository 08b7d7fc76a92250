// "Tokens, AK and SK are never written to a store, an event, an error message or a log line."
// Scenarios with a token (and a token provider) and with AK/SK (with and without a security
// token), through 500s whose error message echoes the secret, 401s, a dropped connection and a
// rejected record. Afterwards every stored entry, every event payload received and every
// entry pending() and dead() hand out is serialised, and no secret appears in any of it.
import { describe, expect, it } from 'vitest';
import { MemoryStore, type Auth, type Outbox } from '../../src/index.js';
import type { MockWorkspace } from '../../src/mock-server.js';
import { recordEvents, type RecordedEvent } from '../helpers/outbox-events.js';
import { useOutboxes } from '../helpers/outboxes.js';
import { records } from '../helpers/records.js';

const { startMock, open } = useOutboxes();

const TOKEN = 'tok-SECRET-valid-0123456789abcdef';
const WRONG_TOKEN = 'tok-SECRET-wrong-fedcba9876543210';
const REFRESHED_WRONG_TOKEN = 'tok-SECRET-refreshed-wrong-55aa55aa';
const AK = 'AKSECRETACCESSKEY0001';
const SK = 'sk-SECRET-signing-key-0001';
const WRONG_SK = 'sk-SECRET-wrong-signing-key-0002';
const TEMP = { ak: 'AKSECRETTEMPORARY0003', sk: 'sk-SECRET-temporary-0003', securityToken: 'sts-SECRET-security-token-0003' };
const SECRETS = [TOKEN, WRONG_TOKEN, REFRESHED_WRONG_TOKEN, AK, SK, WRONG_SK, TEMP.ak, TEMP.sk, TEMP.securityToken];

interface Run {
  outbox: Outbox;
  store: MemoryStore;
  events: RecordedEvent[];
}

/** Everything a scenario left behind that could be logged, persisted or relayed to another tab. */
async function leftovers(runs: readonly Run[]): Promise<Record<string, string>> {
  const texts: Record<string, string> = {};
  for (const [index, { outbox, store, events }] of runs.entries()) {
    texts[`run ${index} events`] = JSON.stringify(structuredClone(events));
    texts[`run ${index} pending()`] = JSON.stringify(structuredClone(await outbox.pending()));
    texts[`run ${index} dead()`] = JSON.stringify(structuredClone(await outbox.dead()));
    texts[`run ${index} store`] = JSON.stringify(structuredClone(await store.load()));
  }
  return texts;
}

function expectNoSecret(texts: Record<string, string>): void {
  for (const [where, text] of Object.entries(texts)) {
    for (const secret of SECRETS) expect(text, `${where} holds a secret`).not.toContain(secret);
  }
}

function run(mock: MockWorkspace, auth: Auth): Run {
  const store = new MemoryStore();
  const outbox = open(mock, { store, auth });
  return { outbox, store, events: recordEvents(outbox).all };
}

const names = (events: readonly RecordedEvent[]) => events.map((event) => event.name);

describe('secrets in stores and events', () => {
  it('token auth: 500 echoing the token, dropped connection, 401 then refresh, rejected record, 401 that pauses', async () => {
    const mock = await startMock({ token: TOKEN, poisonIds: ['poison'] });
    mock.inject(
      { status: 500, errorMsg: `internal error for token ${TOKEN}` },
      { drop: true },
      { status: 401, errorMsg: `token ${TOKEN} has expired` },
    );
    let refreshes = 0;
    const good = run(mock, {
      token: ({ forceRefresh }) => {
        if (forceRefresh) refreshes++;
        return TOKEN;
      },
    });
    await good.outbox.enqueue(records('a', 'b', 'poison'));
    expect(await good.outbox.drain()).toEqual({ sent: 2, failed: 1, pending: 0 });
    expect(refreshes).toBe(1);

    const bad = run(mock, { token: ({ forceRefresh }) => (forceRefresh ? REFRESHED_WRONG_TOKEN : WRONG_TOKEN) });
    await bad.outbox.enqueue(records('c'));
    expect(await bad.outbox.drain()).toEqual({ sent: 0, failed: 0, pending: 1 });
    expect(bad.outbox.pausedReason).toBe('auth');

    // The scenario went through what it claims to.
    expect(names(good.events)).toEqual(expect.arrayContaining(['retrying', 'sent', 'failed']));
    expect(good.events.filter((event) => event.name === 'retrying').map((event) => event.payload.error.status)).toContain(500);
    expect(bad.events).toContainEqual({ name: 'paused', payload: expect.objectContaining({ reason: 'auth', error: expect.objectContaining({ status: 401 }) }) });
    expect((await bad.store.load()).entries).toMatchObject([{ lastError: { status: 401 } }]);
    expect((await good.store.load()).entries).toMatchObject([{ state: 'dead', deadReason: 'rejected', lastError: { status: 400 } }]);

    const texts = await leftovers([good, bad]);
    expect(Object.values(texts).join('\n'), 'the echoed secrets reached the outbox, redacted').toContain('[redacted]');
    expectNoSecret(texts);
  });

  it('AK/SK auth: 500 echoing AK and SK, wrong SK that pauses, temporary credentials whose 401 echoes the security token', async () => {
    const mock = await startMock({ credentials: [{ ak: AK, sk: SK }, TEMP], poisonIds: ['poison'] });
    mock.inject({ status: 500, errorMsg: `signature by ${AK} with ${SK} failed` });
    const good = run(mock, { ak: AK, sk: SK });
    await good.outbox.enqueue(records('a', 'poison'));
    expect(await good.outbox.drain()).toEqual({ sent: 1, failed: 1, pending: 0 });

    const wrong = run(mock, { ak: AK, sk: WRONG_SK });
    await wrong.outbox.enqueue(records('b'));
    expect(await wrong.outbox.drain()).toEqual({ sent: 0, failed: 0, pending: 1 });
    expect(wrong.outbox.pausedReason).toBe('auth');

    mock.inject({ status: 401, errorMsg: `security token ${TEMP.securityToken} of ${TEMP.ak} expired` });
    const temporary = run(mock, TEMP);
    await temporary.outbox.enqueue(records('c'));
    expect(await temporary.outbox.drain()).toEqual({ sent: 0, failed: 0, pending: 1 });
    expect(temporary.outbox.pausedReason).toBe('auth');

    expect(good.events.filter((event) => event.name === 'retrying').map((event) => event.payload.error.status)).toContain(500);
    expect((await wrong.store.load()).entries).toMatchObject([{ lastError: { status: 401 } }]);
    expect((await temporary.store.load()).entries).toMatchObject([{ lastError: { status: 401 } }]);

    const texts = await leftovers([good, wrong, temporary]);
    expect(Object.values(texts).join('\n'), 'the echoed secrets reached the outbox, redacted').toContain('[redacted]');
    expectNoSecret(texts);
  });
});
