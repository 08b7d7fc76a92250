// `auth: 'from-pages'`: the worker's token provider asks the pages and waits `tokenWaitMs`; no
// answer is an AuthError (the outbox pauses, `auth`) that quotes no token; a handed token is
// kept in memory and given to whoever waits; a refresh (after a 401) asks the pages again.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TokenFromPages } from '../../src/browser/token-from-pages.js';
import { isAuthError } from '../../src/errors/AuthError.js';

beforeEach(() => void vi.useFakeTimers());
afterEach(() => void vi.useRealTimers());

describe('a token from the pages', () => {
  it('with no page to answer: an AuthError after tokenWaitMs, and the pages were asked once', async () => {
    const asked: boolean[] = [];
    const tokens = new TokenFromPages(3000, (forceRefresh) => asked.push(forceRefresh));
    const answer = Promise.resolve(tokens.provider({ forceRefresh: false })).catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(2999);
    tokens.hand('late?'); // a hand before the deadline answers it
    const error = await answer;
    expect(error).toBe('late?');
    const second = Promise.resolve(tokens.provider({ forceRefresh: true })).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(3000);
    const refused = await second;
    expect(isAuthError(refused)).toBe(true);
    expect(String((refused as Error).message)).not.toContain('late?');
    expect(asked).toEqual([false, true]);
  });

  it('keeps the handed token for the next requests, asks again only on a refresh', async () => {
    let asks = 0;
    const tokens = new TokenFromPages(1000, () => void asks++);
    tokens.hand('t-1');
    expect(await tokens.provider({ forceRefresh: false })).toBe('t-1');
    expect(await tokens.provider({ forceRefresh: false })).toBe('t-1');
    expect(asks).toBe(0);
    const refreshed = tokens.provider({ forceRefresh: true });
    tokens.hand('t-2');
    expect(await refreshed).toBe('t-2');
    expect(asks).toBe(1);
  });

  it('gives one handed token to every request waiting for it', async () => {
    const tokens = new TokenFromPages(1000, () => undefined);
    const waiting = [tokens.provider({ forceRefresh: false }), tokens.provider({ forceRefresh: false })];
    tokens.hand('shared');
    expect(await Promise.all(waiting)).toEqual(['shared', 'shared']);
  });
});
