import type { AuthorizationMail } from '../api/schemas.js';

/**
 * A record as the mock's store takes it: an `AuthorizationMail` whose fields other than `id`
 * may be left out (the schema's output type lists every key).
 */
export type MockRecord = Pick<AuthorizationMail, 'id'> & Partial<AuthorizationMail>;

/** Which API a request was routed to. */
export type MockApi = 'send' | 'list';

/**
 * One injected answer. Scripted faults (`faults`, `inject()`) are consumed in order by the
 * requests they match; random faults (`random`) are drawn per matching request.
 *
 * A fault with neither `status` nor `drop` is not an error: it delays (`delayMs`) and then lets
 * the request through as usual. `{}` therefore means "let one matching request pass", which is
 * how a script says "the 2nd send fails, not the 1st": `inject({}, { status: 503 })`.
 *
 * @example
 * mock.inject({ status: 429, retryAfter: 2 }, { status: 503, times: 2 }, { drop: true });
 */
export interface MockFault {
  /**
   * Status to answer with (200..599). Error statuses carry a JSON body `{ error_code, error_msg }`
   * unless `body` is given. Cannot be combined with `drop`.
   * @default undefined (no status answer)
   */
  readonly status?: number;
  /**
   * Value of the `Retry-After` header: a number is delta-seconds, a string is sent verbatim
   * (an HTTP-date, or garbage to test a client's parser). Requires `status`.
   * @default undefined (no header)
   */
  readonly retryAfter?: string | number;
  /**
   * `error_code` of the JSON error body. Requires `status`.
   * @default per status: 429 → 'APIG.0308', 500 → 'WKS.0500', 503 → 'WKS.0503', … (see faults.ts)
   */
  readonly errorCode?: string;
  /**
   * `error_msg` of the JSON error body. Requires `status`.
   * @default per status, e.g. 429 → 'The throttling threshold has been reached'
   */
  readonly errorMsg?: string;
  /**
   * Destroy the socket without answering: the client sees a network error.
   * @default false
   */
  readonly drop?: boolean;
  /**
   * Latency added before answering (or before dropping). Alone, it makes a slow but normal answer.
   * @default 0
   */
  readonly delayMs?: number;
  /**
   * Raw body to answer with instead of the JSON error body (e.g. an HTML gateway page). Requires `status`.
   * @default undefined (JSON error body)
   */
  readonly body?: string;
  /**
   * `Content-Type` of `body`. Requires `status`.
   * @default 'text/plain; charset=utf-8' with `body`, 'application/json' without
   */
  readonly contentType?: string;
  /**
   * Which API the fault applies to. For random faults, the draw is gated by `random.on`; a
   * fault's own `on`, when given, narrows it further.
   * @default 'send'
   */
  readonly on?: MockApi | 'any';
  /**
   * Scripted faults only: how many matching requests this fault answers. Ignored for random faults.
   * @default 1
   */
  readonly times?: number;
}

/** Seeded chaos: per matching request, one draw of a mulberry32 PRNG picks at most one fault. */
export interface MockRandomFaults {
  /** Seed of the PRNG: the same seed and the same sequence of requests give the same faults. */
  readonly seed: number;
  /**
   * Candidate faults with their probabilities (each 0..1, sum at most 1). One draw per request:
   * `[{ probability: 0.2, fault: A }, { probability: 0.1, fault: B }]` answers 20 % A, 10 % B.
   */
  readonly faults: ReadonlyArray<{ readonly probability: number; readonly fault: MockFault }>;
  /**
   * Which requests draw from the PRNG.
   * @default 'send'
   */
  readonly on?: MockApi | 'any';
}

/** A pair of access keys accepted through `Authorization: SDK-HMAC-SHA256 …`. */
export interface MockCredential {
  /** Access key id (the `Access=` of the Authorization header). */
  readonly ak: string;
  /** Secret key the signature is checked with. */
  readonly sk: string;
  /**
   * Temporary credentials: requests must carry a matching `X-Security-Token` header.
   * @default undefined (no security token required)
   */
  readonly securityToken?: string;
}

/** Options of `startMockWorkspace()`. Bad values throw a `TypeError` naming the option. */
export interface MockWorkspaceOptions {
  /**
   * TCP port to listen on; the host is always 127.0.0.1.
   * @default 0 (an ephemeral port; read it from `url`)
   */
  readonly port?: number;
  /**
   * The one project that exists (32 lowercase hex characters); other project ids in the path
   * get the gateway's 404 `APIG.0101` for the whole call.
   * @default 32 random lowercase hex characters
   */
  readonly projectId?: string;
  /**
   * The valid `X-Auth-Token`.
   * @default a random token
   */
  readonly token?: string;
  /**
   * More valid tokens (e.g. the one a token provider hands out after a refresh).
   * @default []
   */
  readonly tokens?: readonly string[];
  /**
   * Tokens that authenticate but lack the permission: answered 403 'WKS.0403'.
   * @default []
   */
  readonly forbiddenTokens?: readonly string[];
  /**
   * AK/SK pairs accepted via SDK-HMAC-SHA256 signatures.
   * @default []
   */
  readonly credentials?: readonly MockCredential[];
  /**
   * Record ids the service refuses: a send carrying one is answered 400 'WKS.00131104'
   * ('invalid authorization email record: <id>') and none of its records is sent.
   * @default []
   */
  readonly poisonIds?: readonly string[];
  /**
   * Record ids the service does not know: a send carrying one is answered 404 'WKS.0404'.
   * @default []
   */
  readonly unknownIds?: readonly string[];
  /**
   * Records the listing API serves. A successful send of one of these ids marks it
   * `mail_send_result: 'SUCCESS'` with `send_at` now. The array is copied.
   * @default []
   */
  readonly records?: readonly MockRecord[];
  /**
   * Scripted faults, consumed in order by the requests they match.
   * @default []
   */
  readonly faults?: readonly MockFault[];
  /**
   * Seeded random faults, drawn per matching request that no scripted fault answered.
   * @default undefined (none)
   */
  readonly random?: MockRandomFaults;
  /**
   * Latency added to every answer, CORS preflights included.
   * @default 0
   */
  readonly latencyMs?: number;
  /**
   * Clock in ms since the epoch, for the `X-Sdk-Date` skew check, `MockRequest.at` and `send_at`.
   * @default Date.now
   */
  readonly clock?: () => number;
  /**
   * Largest accepted send body in bytes; larger is answered 413.
   * @default 1048576 (1 MiB)
   */
  readonly maxBodyBytes?: number;
}

/** One request as the mock saw it. Secrets in headers are replaced by '[redacted]'. */
export interface MockRequest {
  /** When the request arrived (ms since the epoch, from `clock`). */
  readonly at: number;
  /** The `X-Request-Id` it was answered with. */
  readonly id: string;
  readonly method: string;
  /** Path without the query string, as received. */
  readonly path: string;
  /** Query parameters (the first value of each name). */
  readonly query: Record<string, string>;
  /**
   * Lowercased names, multi-valued ones joined by ', '. Credentials (`x-auth-token`,
   * `authorization`, `x-security-token`, also `cookie`, `proxy-authorization`) are '[redacted]'.
   */
  readonly headers: Record<string, string>;
  /** The send body's `records` as received, extra fields included (when the body held an array). */
  readonly records?: AuthorizationMail[];
  /** The parsed JSON body, if the body was JSON. */
  readonly body?: unknown;
  /**
   * What was answered. `'dropped'` for a `drop` fault, and also when the client went away or the
   * mock closed before a delayed answer was written (a 200 send's effect on the store remains,
   * as with a real service whose answer is lost in transit).
   */
  status: number | 'dropped';
  /** The fault applied, if any (a delay-only fault included). */
  readonly fault?: MockFault;
  /** Which API the path and method routed to. */
  readonly api: MockApi | 'other';
}

/** A running mock of the Workspace mail API. */
export interface MockWorkspace {
  /** Base URL, e.g. 'http://127.0.0.1:41234' (no trailing slash). */
  readonly url: string;
  readonly projectId: string;
  /** The valid `X-Auth-Token`. */
  readonly token: string;
  /** Every request except CORS preflights, in arrival order. A live array. */
  readonly requests: MockRequest[];
  /**
   * Ids of the records in sends the service answered 200, in order, duplicates kept
   * (a 200 forced by a fault is not a delivery).
   */
  deliveredIds(): string[];
  /** Append scripted faults. Throws a `TypeError` for a bad fault. */
  inject(...faults: MockFault[]): void;
  /** Replace (or with `undefined`, remove) the random faults; the PRNG restarts at the seed. */
  setRandom(random: MockWorkspaceOptions['random'] | undefined): void;
  /** Clear the request log, the scripted faults and the random faults. The records store stays. */
  reset(): void;
  /** Close the server and every open socket (keep-alive too). Idempotent. */
  close(): Promise<void>;
}
