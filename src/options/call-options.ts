// The options every call to the service takes, and the outbox takes too: one schema for both, so
// a value is good or bad (and worded) the same way whichever is called.
import * as z from 'zod/mini';
import { assertAuth, type Auth } from '../api/auth.js';
import { assertProjectId, normalizeEndpoint } from '../api/endpoint.js';
import { LanguageSchema } from '../api/schemas.js';
import { MAX_TIMEOUT_MS } from '../api/timer-limit.js';
import { aBoolean, aFunction, anAbortSignal, checkedBy, numberIn } from './option-schemas.js';

/** `X-Language`: one of the values the service knows. */
export const languageOption = /* @__PURE__ */ z.optional(
  z.enum(LanguageSchema.options, { error: `must be one of ${LanguageSchema.options.join(', ')}` }),
);

/** A project ID of the documented format (`assertProjectId`'s wording). */
export const projectIdOption = /* @__PURE__ */ checkedBy((value) => assertProjectId(value));

/** Time allowed for one request: more than 0, at most what `setTimeout` can wait. */
export const timeoutOption = /* @__PURE__ */ numberIn({ min: 0, minExclusive: true, max: MAX_TIMEOUT_MS });

/** The options the client and the outbox share, in the order they are checked. */
export const sharedCallFields = {
  /** Normalised: no trailing slash. */
  endpoint: /* @__PURE__ */ checkedBy((value) => normalizeEndpoint(value)),
  projectId: projectIdOption,
  /** The object itself is kept (a token provider is called later). */
  auth: /* @__PURE__ */ checkedBy<Auth>((value) => assertAuth(value)),
  language: languageOption,
  signal: /* @__PURE__ */ z.optional(anAbortSignal),
  fetch: /* @__PURE__ */ z.optional(aFunction<typeof globalThis.fetch>()),
};

/**
 * `WorkspaceCallOptions`. Other keys are left alone: each call adds its own (`records`,
 * `appGroupId`, …) and checks them itself. No default for `timeoutMs` here: it lives beside the
 * request (`DEFAULT_TIMEOUT_MS`).
 */
export const CallOptionsSchema = /* @__PURE__ */ z.object(
  {
    ...sharedCallFields,
    timeoutMs: z.optional(timeoutOption),
    forceRefresh: z.optional(aBoolean),
  },
  { error: 'must be an object' },
);
