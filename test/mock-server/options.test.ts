import { describe, expect, it } from 'vitest';
import { startMockWorkspace, type MockWorkspaceOptions } from '../../src/mock-server.js';

describe('options', () => {
  it.each<[string, unknown, RegExp]>([
    ['a non-integer port', { port: 1.5 }, /`port`/],
    ['a port out of range', { port: 70000 }, /`port`/],
    ['an empty token', { token: '' }, /`token`/],
    ['a project id with a slash', { projectId: 'a/b' }, /`projectId`/],
    ['a project id not in the documented format', { projectId: 'ABCDEF0123456789ABCDEF0123456789' }, /`projectId`.*32 lowercase hex/],
    ['a non-string extra token', { tokens: ['ok', 3] }, /`tokens\[1\]`/],
    ['a credential without sk', { credentials: [{ ak: 'a' }] }, /`credentials\[0\]\.sk`/],
    ['a record without id', { records: [{ account: 'x' }] }, /`records\[0\]\.id`/],
    ['a fault with a bad status', { faults: [{ status: 600 }] }, /`faults\[0\]\.status`/],
    ['a fault with a bad target', { faults: [{ on: 'resend' }] }, /`faults\[0\]\.on`/],
    ['a fault with times 0', { faults: [{ status: 503, times: 0 }] }, /`faults\[0\]\.times`/],
    ['a negative delay', { faults: [{ delayMs: -1 }] }, /`faults\[0\]\.delayMs`/],
    ['a drop with a status', { faults: [{ drop: true, status: 503 }] }, /`faults\[0\]\.drop`/],
    ['a probability above 1', { random: { seed: 1, faults: [{ probability: 1.5, fault: { status: 503 } }] } }, /`random\.faults\[0\]\.probability`/],
    ['a negative probability', { random: { seed: 1, faults: [{ probability: -0.1, fault: { status: 503 } }] } }, /probability/],
    ['probabilities summing above 1', { random: { seed: 1, faults: [{ probability: 0.6, fault: {} }, { probability: 0.6, fault: {} }] } }, /`random\.faults`/],
    ['a random without seed', { random: { faults: [] } }, /`random\.seed`/],
    ['a negative latency', { latencyMs: -5 }, /`latencyMs`/],
    ['a clock that is not a function', { clock: 5 }, /`clock`/],
    ['a zero maxBodyBytes', { maxBodyBytes: 0 }, /`maxBodyBytes`/],
  ])('throws a TypeError naming the option for %s', async (_name, options, message) => {
    const started = startMockWorkspace(options as MockWorkspaceOptions);
    await expect(started).rejects.toThrow(TypeError);
    await expect(started).rejects.toThrow(message);
  });

  it('setRandom() throws a TypeError for a bad probability', async () => {
    const mock = await startMockWorkspace();
    try {
      expect(() => mock.setRandom({ seed: 1, faults: [{ probability: 2, fault: { status: 503 } }] })).toThrow(TypeError);
    } finally {
      await mock.close();
    }
  });
});
