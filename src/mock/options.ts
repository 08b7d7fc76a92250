import { randomBytes } from 'node:crypto';
import { PROJECT_ID_FORMAT } from '../api/endpoint.js';
import type { MockCredential, MockFault, MockRandomFaults, MockRecord, MockWorkspaceOptions } from './types.js';

/** Options with every default filled in and every value checked. */
export interface ResolvedOptions {
  readonly port: number;
  readonly projectId: string;
  readonly token: string;
  readonly validTokens: ReadonlySet<string>;
  readonly forbiddenTokens: ReadonlySet<string>;
  readonly credentials: ReadonlyMap<string, MockCredential>;
  readonly poisonIds: ReadonlySet<string>;
  readonly unknownIds: ReadonlySet<string>;
  readonly records: MockRecord[];
  readonly faults: MockFault[];
  readonly random: MockRandomFaults | undefined;
  readonly latencyMs: number;
  readonly clock: () => number;
  readonly maxBodyBytes: number;
}

const defaults = {
  port: 0,
  latencyMs: 0,
  maxBodyBytes: 1024 * 1024,
  clock: Date.now,
} as const;

const apiTargets: ReadonlySet<unknown> = new Set(['send', 'list', 'any']);

function fail(name: string, expected: string): never {
  throw new TypeError(`Invalid option \`${name}\`: expected ${expected}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nonEmptyString(value: unknown, name: string): string {
  if (typeof value !== 'string' || value.length === 0) fail(name, 'a non-empty string');
  return value;
}

function optional<T>(value: unknown, name: string, check: (value: unknown, name: string) => T): T | undefined {
  return value === undefined ? undefined : check(value, name);
}

function duration(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) fail(name, 'a finite number ≥ 0');
  return value;
}

function integerIn(value: unknown, name: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    fail(name, `an integer from ${min} to ${max}`);
  }
  return value;
}

function list<T>(value: unknown, name: string, item: (value: unknown, name: string) => T): T[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) fail(name, 'an array');
  return value.map((entry, index) => item(entry, `${name}[${index}]`));
}

function apiTarget(value: unknown, name: string): MockFault['on'] {
  if (!apiTargets.has(value)) fail(name, "'send', 'list' or 'any'");
  return value as MockFault['on'];
}

/** Checks one fault; the error names its place, e.g. `faults[2].status`. Returns a frozen copy. */
export function validateFault(value: unknown, name: string): MockFault {
  if (!isRecord(value)) fail(name, 'an object');
  const fault = value as MockFault;
  optional(fault.status, `${name}.status`, (status, key) => integerIn(status, key, 200, 599));
  optional(fault.drop, `${name}.drop`, (drop, key) => (typeof drop === 'boolean' ? drop : fail(key, 'a boolean')));
  optional(fault.delayMs, `${name}.delayMs`, duration);
  optional(fault.on, `${name}.on`, apiTarget);
  optional(fault.times, `${name}.times`, (times, key) => integerIn(times, key, 1, Number.MAX_SAFE_INTEGER));
  optional(fault.retryAfter, `${name}.retryAfter`, (retryAfter, key) =>
    typeof retryAfter === 'string' ? retryAfter : duration(retryAfter, key),
  );
  for (const key of ['errorCode', 'errorMsg', 'body', 'contentType'] as const) {
    optional(fault[key], `${name}.${key}`, (text, path) => (typeof text === 'string' ? text : fail(path, 'a string')));
  }
  if (fault.drop === true && fault.status !== undefined) fail(`${name}.drop`, 'not to be combined with `status`');
  for (const key of ['retryAfter', 'errorCode', 'errorMsg', 'body', 'contentType'] as const) {
    if (fault[key] !== undefined && fault.status === undefined) fail(`${name}.status`, `a status to go with \`${key}\``);
  }
  return Object.freeze({ ...fault });
}

/** Checks the random-fault settings (probabilities 0..1 summing to at most 1). */
export function validateRandom(value: unknown, name = 'random'): MockRandomFaults | undefined {
  if (value === undefined) return undefined;
  if (!isRecord(value)) fail(name, 'an object');
  const random = value as unknown as MockRandomFaults;
  if (typeof random.seed !== 'number' || !Number.isFinite(random.seed)) fail(`${name}.seed`, 'a finite number');
  optional(random.on, `${name}.on`, apiTarget);
  let total = 0;
  const faults = list(random.faults, `${name}.faults`, (entry, key) => {
    if (!isRecord(entry)) fail(key, 'an object `{ probability, fault }`');
    const { probability } = entry;
    if (typeof probability !== 'number' || !(probability >= 0 && probability <= 1)) {
      fail(`${key}.probability`, 'a number from 0 to 1');
    }
    total += probability;
    return { probability, fault: validateFault(entry['fault'], `${key}.fault`) };
  });
  if (total > 1 + 1e-9) fail(`${name}.faults`, 'probabilities that sum to at most 1');
  return { seed: random.seed, faults, ...(random.on === undefined ? {} : { on: random.on }) };
}

function credential(value: unknown, name: string): MockCredential {
  if (!isRecord(value)) fail(name, 'an object `{ ak, sk, securityToken? }`');
  const ak = nonEmptyString(value['ak'], `${name}.ak`);
  const sk = nonEmptyString(value['sk'], `${name}.sk`);
  const securityToken = optional(value['securityToken'], `${name}.securityToken`, nonEmptyString);
  return securityToken === undefined ? { ak, sk } : { ak, sk, securityToken };
}

function storedRecord(value: unknown, name: string): MockRecord {
  if (!isRecord(value)) fail(name, 'an object');
  nonEmptyString(value['id'], `${name}.id`);
  return structuredClone(value) as MockRecord;
}

/** The client accepts only the documented format, so the mock's one project has it too. */
function projectIdOption(value: unknown, name: string): string {
  const projectId = nonEmptyString(value, name);
  return PROJECT_ID_FORMAT.test(projectId) ? projectId : fail(name, 'a project ID: 32 lowercase hex characters');
}

/** Fills in the defaults and checks every option, throwing a `TypeError` that names the bad one. */
export function resolveOptions(options: MockWorkspaceOptions = {}): ResolvedOptions {
  if (!isRecord(options as unknown)) fail('options', 'an object');
  const token = optional(options.token, 'token', nonEmptyString) ?? randomBytes(24).toString('base64url');
  const credentials = new Map<string, MockCredential>();
  for (const entry of list(options.credentials, 'credentials', credential)) credentials.set(entry.ak, entry);
  const clock: unknown = options.clock ?? defaults.clock;
  if (typeof clock !== 'function') fail('clock', 'a function returning ms since the epoch');
  return {
    port: integerIn(options.port ?? defaults.port, 'port', 0, 65535),
    projectId: optional(options.projectId, 'projectId', projectIdOption) ?? randomBytes(16).toString('hex'),
    token,
    validTokens: new Set([token, ...list(options.tokens, 'tokens', nonEmptyString)]),
    forbiddenTokens: new Set(list(options.forbiddenTokens, 'forbiddenTokens', nonEmptyString)),
    credentials,
    poisonIds: new Set(list(options.poisonIds, 'poisonIds', nonEmptyString)),
    unknownIds: new Set(list(options.unknownIds, 'unknownIds', nonEmptyString)),
    records: list(options.records, 'records', storedRecord),
    faults: list(options.faults, 'faults', validateFault),
    random: validateRandom(options.random),
    latencyMs: duration(options.latencyMs ?? defaults.latencyMs, 'latencyMs'),
    clock: clock as () => number,
    maxBodyBytes: integerIn(options.maxBodyBytes ?? defaults.maxBodyBytes, 'maxBodyBytes', 1, Number.MAX_SAFE_INTEGER),
  };
}
