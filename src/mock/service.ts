import { emptyAnswer, errorAnswer, type Answer } from './answers.js';
import { authenticate } from './auth.js';
import { checkSendBody, isJsonContentType, type ParsedJson, type ReceivedBody } from './body.js';
import { faultAnswer, type FaultPlan } from './faults.js';
import { listRecords } from './list.js';
import type { ResolvedOptions } from './options.js';
import type { RecordStore } from './record-store.js';
import type { MockApi, MockFault } from './types.js';

/** A request as the service sees it, once its body is in. */
export interface Incoming {
  readonly method: string;
  /** `req.url` as received (path and query). */
  readonly target: string;
  readonly path: string;
  readonly query: URLSearchParams;
  /** Lowercased, multi-valued joined by ', '. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: ReceivedBody;
  /** The body parsed as JSON; `undefined` when it was over the size limit (and not kept). */
  readonly json: ParsedJson | undefined;
}

/** What to answer, and why. */
export interface Decision {
  readonly api: MockApi | 'other';
  readonly answer: Answer;
  readonly fault?: MockFault;
  /** Latency before the answer is written (the fault's; the mock adds `latencyMs`). */
  readonly delayMs: number;
}

const apiMethods: Readonly<Record<MockApi, string>> = { send: 'POST', list: 'GET' };

/** The API gateway's answer for a path (or project) it has no API for. */
const API_MISSING = { code: 'APIG.0101', message: 'The API does not exist or has not been published in the environment' } as const;

type Routed = { readonly api: MockApi; readonly projectId: string };

/** Which API a path and method reach: 404 for any other path, 405 for a wrong method. */
function route(method: string, path: string): Routed | Answer {
  const match = /^\/v1\/([^/]+)\/mails(\/actions\/send)?$/.exec(path);
  if (match === null || match[1] === undefined) {
    return errorAnswer(404, API_MISSING);
  }
  const api: MockApi = match[2] === undefined ? 'list' : 'send';
  if (method !== apiMethods[api]) {
    return errorAnswer(405, { detail: `use ${apiMethods[api]}`, headers: { allow: `${apiMethods[api]}, OPTIONS` } });
  }
  let projectId = match[1];
  try {
    projectId = decodeURIComponent(projectId);
  } catch {
    // Not valid percent-encoding: compared as received, so it is simply an unknown project.
  }
  return { api, projectId };
}

/**
 * The service behind the gateway, in the order the gateway and the service check things:
 * route → injected fault → authentication → project → the API's own validation.
 */
export class MockService {
  readonly #options: ResolvedOptions;
  readonly #faults: FaultPlan;
  readonly #store: RecordStore;

  constructor(options: ResolvedOptions, faults: FaultPlan, store: RecordStore) {
    this.#options = options;
    this.#faults = faults;
    this.#store = store;
  }

  decide(request: Incoming, now: number): Decision {
    const routed = route(request.method, request.path);
    if ('kind' in routed) return { api: 'other', answer: routed, delayMs: 0 };
    const { api } = routed;
    const fault = this.#faults.take(api);
    const delayMs = fault?.delayMs ?? 0;
    const forced = fault === undefined ? undefined : faultAnswer(fault);
    const answer = forced ?? this.#answer(routed, request, now);
    return fault === undefined ? { api, answer, delayMs } : { api, answer, fault, delayMs };
  }

  #answer({ api, projectId }: Routed, request: Incoming, now: number): Answer {
    const refusal = authenticate(
      { method: request.method, target: request.target, headers: request.headers, bodySha256: request.body.sha256 },
      this.#options,
      now,
    );
    if (refusal !== undefined) return refusal;
    // The gateway refuses a project it does not know for the whole call, as it refuses an
    // unknown path: 404 APIG.0101, whose text names the project (not a record-level 404).
    if (projectId !== this.#options.projectId) return errorAnswer(404, { ...API_MISSING, detail: 'project not found' });
    return api === 'send' ? this.#send(request, now) : listRecords(this.#store.all(), request.query);
  }

  #send(request: Incoming, now: number): Answer {
    const contentType = request.headers['content-type'];
    if (!isJsonContentType(contentType)) {
      return errorAnswer(415, { detail: `Content-Type must be application/json, not ${contentType ?? 'absent'}` });
    }
    const { json } = request;
    if (json === undefined) {
      return errorAnswer(413, { detail: `the body has ${request.body.size} bytes, more than ${this.#options.maxBodyBytes}` });
    }
    if (!json.ok) return errorAnswer(400, { detail: json.problem });
    const checked = checkSendBody(json.value);
    if ('problem' in checked) return errorAnswer(400, { detail: checked.problem });
    const poisoned = checked.ids.find((id) => this.#options.poisonIds.has(id));
    if (poisoned !== undefined) {
      return errorAnswer(400, { code: 'WKS.00131104', message: `invalid authorization email record: ${poisoned}` });
    }
    const unknown = checked.ids.find((id) => this.#options.unknownIds.has(id));
    if (unknown !== undefined) return errorAnswer(404, { detail: `authorization email record ${unknown}` });
    this.#store.markSent(checked.ids, now);
    return emptyAnswer(200);
  }
}
