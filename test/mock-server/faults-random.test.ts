import { describe, expect, it } from 'vitest';
import type { MockWorkspace, MockWorkspaceOptions } from '../../src/mock-server.js';
import { list, send, sendBody } from '../helpers/mock-http.js';
import { useMocks } from '../helpers/mock-service.js';

const start = useMocks();

const chaos = (seed: number): NonNullable<MockWorkspaceOptions['random']> => ({
  seed,
  faults: [
    { probability: 0.3, fault: { status: 503 } },
    { probability: 0.2, fault: { status: 429, retryAfter: 1 } },
  ],
});

async function statuses(mock: MockWorkspace, count: number): Promise<number[]> {
  const seen: number[] = [];
  for (let index = 0; index < count; index += 1) seen.push((await send(mock, sendBody(`r${index}`))).status);
  return seen;
}

describe('seeded random faults', () => {
  it('gives the same faults for the same seed', async () => {
    const first = await statuses(await start({ random: chaos(42) }), 40);
    const second = await statuses(await start({ random: chaos(42) }), 40);
    expect(second).toEqual(first);
    expect(new Set(first)).toEqual(new Set([200, 503, 429]));
  });

  it('gives different faults for another seed', async () => {
    const first = await statuses(await start({ random: chaos(1) }), 40);
    const second = await statuses(await start({ random: chaos(2) }), 40);
    expect(second).not.toEqual(first);
  });

  it('replays from the seed after setRandom(), and stops after setRandom(undefined)', async () => {
    const mock = await start({ random: chaos(7) });
    const first = await statuses(mock, 20);
    mock.setRandom(chaos(7));
    expect(await statuses(mock, 20)).toEqual(first);
    mock.setRandom(undefined);
    expect(await statuses(mock, 10)).toEqual(Array.from({ length: 10 }, () => 200));
  });

  it('applies scripted faults first, without drawing', async () => {
    const reference = await statuses(await start({ random: chaos(9) }), 10);
    const mock = await start({ random: chaos(9), faults: [{ status: 500, times: 3 }] });
    expect(await statuses(mock, 13)).toEqual([500, 500, 500, ...reference]);
  });

  it('draws only for the API it is for', async () => {
    const mock = await start({ random: { seed: 3, faults: [{ probability: 1, fault: { status: 503 } }], on: 'list' } });
    expect((await send(mock, sendBody('a'))).status).toBe(200);
    expect((await list(mock, { app_group_id: 'g' })).status).toBe(503);
  });

  it('roughly matches the probabilities', async () => {
    const seen = await statuses(await start({ random: chaos(123) }), 300);
    const share = (status: number): number => seen.filter((value) => value === status).length / seen.length;
    expect(share(503)).toBeGreaterThan(0.2);
    expect(share(503)).toBeLessThan(0.4);
    expect(share(429)).toBeGreaterThan(0.12);
    expect(share(429)).toBeLessThan(0.28);
  });

  it('reset() removes the random faults', async () => {
    const mock = await start({ random: { seed: 1, faults: [{ probability: 1, fault: { status: 503 } }] } });
    expect((await send(mock, sendBody('a'))).status).toBe(503);
    mock.reset();
    expect((await send(mock, sendBody('a'))).status).toBe(200);
  });
});
