// serveOutbox's options and the pages' `sender`: a bad one is a TypeError naming it, before
// anything is opened; outside a service worker, serveOutbox says where it must run.
import { describe, expect, it } from 'vitest';
import { serveOutbox } from '../../src/service-worker.js';
import { createOutbox } from '../../src/browser.js';

const base = { endpoint: 'https://workspace.example.com', projectId: '0123456789abcdef0123456789abcdef' };

describe('serveOutbox options', () => {
  it.each([
    [{ autoStart: true }, /^autoStart is not an option of serveOutbox/],
    [{ sender: 'tabs' }, /^sender is not an option of serveOutbox/],
    [{ sliceMs: 10 }, /^sliceMs must be a number ≥ 1000 and ≤ 240000, got 10/],
    [{ sliceMs: 10 * 60_000 }, /^sliceMs must be a number ≥ 1000 and ≤ 240000/],
    [{ tokenWaitMs: -1 }, /^tokenWaitMs must be a number ≥ 0/],
    [{ name: '' }, /^name must be a non-empty string/],
    [{ auth: 'from-page' }, /^auth/],
    [{ batchSize: 0 }, /^batchSize/],
  ])('%o is refused with a TypeError naming it', (extra, message) => {
    expect(() => serveOutbox({ ...base, auth: 'from-pages', ...extra } as never)).toThrow(message);
  });

  it('outside a service worker (here: Node, no addEventListener on the global scope) says where it must run', () => {
    expect(() => serveOutbox({ ...base, auth: 'from-pages' })).toThrow(/serveOutbox must run in a service worker/);
  });
});

describe("the pages' sender option", () => {
  it("is 'tabs' or 'service-worker'", () => {
    expect(() => createOutbox({ ...base, auth: { token: 't' }, sender: 'worker' } as never)).toThrow(/^sender must be 'tabs' or 'service-worker'/);
  });
});
