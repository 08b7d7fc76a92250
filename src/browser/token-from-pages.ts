// `auth: 'from-pages'` in a service worker: the token lives in the worker's memory only, handed
// by a page (postMessage). When the worker has none, or the service refused it, it asks the
// pages on the outbox's channel and waits a little; with no page to answer, the provider fails
// and the outbox pauses (`auth`) until a page hands one (then it resumes). A worker that stops
// forgets the token: it is never in IndexedDB, Cache Storage or any other persisted place.
import type { TokenProvider } from '../api/auth.js';
import { AuthError } from '../errors/AuthError.js';

export class TokenFromPages {
  readonly #waitMs: number;
  readonly #ask: (forceRefresh: boolean) => void;
  #token: string | undefined;
  #waiting = new Set<(token: string) => void>();

  constructor(waitMs: number, ask: (forceRefresh: boolean) => void) {
    this.#waitMs = waitMs;
    this.#ask = ask;
  }

  /** The token provider the worker's outbox uses. */
  readonly provider: TokenProvider = ({ forceRefresh }) => {
    if (this.#token !== undefined && !forceRefresh) return this.#token;
    if (forceRefresh) this.#token = undefined;
    return new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiting.delete(take);
        reject(new AuthError(`no page handed the service worker a token within ${this.#waitMs} ms (auth: 'from-pages')`));
      }, this.#waitMs);
      const take = (token: string) => {
        clearTimeout(timer);
        resolve(token);
      };
      this.#waiting.add(take);
      this.#ask(forceRefresh);
    });
  };

  /** A page handed a token: kept in memory, and given to whoever waits for one. */
  hand(token: string): void {
    this.#token = token;
    const waiting = [...this.#waiting];
    this.#waiting.clear();
    for (const take of waiting) take(token);
  }
}
