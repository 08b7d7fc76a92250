// The options only one entry has: `dir` and `lockWaitMs` (Node), `name`, `autoStart`,
// `watchOnline` and `sender` (browsers). They are taken off before the rest goes to the engine, whose schema
// refuses keys it does not know.
import * as z from 'zod/mini';
import { aBoolean, lazy, nonEmptyString, numberIn } from './option-schemas.js';
import { parseOptions } from './parse-options.js';

/** Where the Node entry's `FileStore` lives unless `dir` says otherwise. */
export const DEFAULT_DIR = './.wks-mail-outbox';
/** The browser entry's outbox name unless `name` says otherwise. */
export const DEFAULT_NAME = 'default';

// looseObject: the other keys pass through, for the engine's schema to check.
const nodeExtrasSchema = /* @__PURE__ */ lazy(() =>
  z.looseObject(
    {
      dir: z.optional(nonEmptyString('must be a directory path')),
      // Infinity: wait as long as it takes.
      lockWaitMs: z.optional(numberIn({ min: 0, orInfinity: true })),
    },
    { error: 'must be an object' },
  ),
);

const browserExtrasSchema = /* @__PURE__ */ lazy(() =>
  z.looseObject(
    {
      name: z.optional(nonEmptyString('must be a non-empty string')),
      autoStart: z.optional(aBoolean),
      watchOnline: z.optional(aBoolean),
      sender: z.optional(z.enum(['tabs', 'service-worker'], { error: "must be 'tabs' or 'service-worker'" })),
    },
    { error: 'must be an object' },
  ),
);

/** The Node entry's own options, with defaults, and the rest (`core`) for the engine to check. */
export interface NodeExtras<Core> {
  dir: string;
  lockWaitMs: number | undefined;
  core: Core;
}

/** The browser entry's own options, with defaults, and the rest (`core`) for the engine to check. */
export interface BrowserExtras<Core> {
  name: string;
  autoStart: boolean;
  watchOnline: boolean;
  sender: 'tabs' | 'service-worker';
  core: Core;
}

/**
 * Checks `dir` and `lockWaitMs` and takes them off `options`.
 * @throws TypeError naming the bad option (or `options` when it is not an object).
 */
export function parseNodeExtras<O extends object>(options: O): NodeExtras<Omit<O, 'dir' | 'lockWaitMs'>> {
  const { dir = DEFAULT_DIR, lockWaitMs, ...core } = parseOptions(nodeExtrasSchema(), options);
  return { dir, lockWaitMs, core: core as Omit<O, 'dir' | 'lockWaitMs'> };
}

/**
 * Checks `name`, `autoStart`, `watchOnline` and `sender` and takes them off `options`.
 * @throws TypeError naming the bad option (or `options` when it is not an object).
 */
export function parseBrowserExtras<O extends object>(options: O): BrowserExtras<Omit<O, 'name' | 'autoStart' | 'watchOnline' | 'sender'>> {
  const { name = DEFAULT_NAME, autoStart = true, watchOnline = true, sender = 'tabs', ...core } = parseOptions(browserExtrasSchema(), options);
  return { name, autoStart, watchOnline, sender, core: core as Omit<O, 'name' | 'autoStart' | 'watchOnline' | 'sender'> };
}
