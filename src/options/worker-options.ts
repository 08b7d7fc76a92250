// The options only `serveOutbox` (the service worker) has: `sliceMs`, `tokenWaitMs`, and `auth`
// may be `'from-pages'`. `autoStart` and `sender` are the pages' options, refused here. The rest
// goes on to the browser extras and the engine.
import * as z from 'zod/mini';
import { lazy, numberIn } from './option-schemas.js';
import { parseOptions } from './parse-options.js';

/** Longest one slice of sending runs inside one event (ms); Chromium ends a sync event after 3 min. */
const DEFAULT_SLICE_MS = 60_000;
/** How long the worker waits for a page to hand a token (ms). */
const DEFAULT_TOKEN_WAIT_MS = 5_000;

const workerExtrasSchema = /* @__PURE__ */ lazy(() =>
  z.looseObject(
    {
      sliceMs: z.optional(numberIn({ min: 1000, max: 240_000 })),
      tokenWaitMs: z.optional(numberIn({ min: 0, max: 60_000 })),
      autoStart: z.optional(z.never({ error: 'is not an option of serveOutbox: the worker sends in slices, when an event wakes it' })),
      sender: z.optional(z.never({ error: "is not an option of serveOutbox: give it to the pages' createOutbox" })),
      store: z.optional(z.never({ error: "is not an option of serveOutbox: the worker drains the pages' IndexedDB queue (same name)" })),
    },
    { error: 'must be an object' },
  ),
);

export interface WorkerExtras<Rest> {
  sliceMs: number;
  tokenWaitMs: number;
  /** `auth` is `'from-pages'`: the token comes from pages, into memory only. */
  fromPages: boolean;
  rest: Rest;
}

/**
 * Checks and takes off `sliceMs` and `tokenWaitMs`, and `auth` when it is `'from-pages'`.
 * @throws TypeError naming the bad option.
 */
export function parseWorkerExtras<O extends object>(options: O): WorkerExtras<Omit<O, 'sliceMs' | 'tokenWaitMs'>> {
  const { sliceMs = DEFAULT_SLICE_MS, tokenWaitMs = DEFAULT_TOKEN_WAIT_MS, ...rest } = parseOptions(workerExtrasSchema(), options);
  const fromPages = (rest as { auth?: unknown }).auth === 'from-pages';
  return { sliceMs, tokenWaitMs, fromPages, rest: rest as Omit<O, 'sliceMs' | 'tokenWaitMs'> };
}
