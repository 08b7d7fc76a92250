import { emptyAnswer, errorAnswer, type Answer } from './answers.js';
import { validateFault, validateRandom } from './options.js';
import type { MockApi, MockFault, MockRandomFaults } from './types.js';

/** mulberry32: a tiny, fast, well-distributed 32-bit PRNG; returns numbers in [0, 1). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function matches(target: MockFault['on'], api: MockApi): boolean {
  return target === 'any' || target === api;
}

/** A scripted fault with how many more requests it answers. */
interface ScriptedFault {
  readonly fault: MockFault;
  remaining: number;
}

/** The faults a mock will inject: a script consumed in order, then seeded chaos. */
export class FaultPlan {
  #script: ScriptedFault[] = [];
  #random: MockRandomFaults | undefined;
  #next: () => number = () => 1;

  constructor(script: readonly MockFault[], random: MockRandomFaults | undefined) {
    this.inject(script);
    this.setRandom(random);
  }

  /** Appends scripted faults (checked; a bad one throws a `TypeError` and none is added). */
  inject(faults: readonly unknown[]): void {
    const checked = faults.map((fault, index) => validateFault(fault, `faults[${index}]`));
    for (const fault of checked) this.#script.push({ fault, remaining: fault.times ?? 1 });
  }

  /** Replaces the random faults; the PRNG restarts at the seed so a run can be replayed. */
  setRandom(random: unknown): void {
    this.#random = validateRandom(random);
    this.#next = this.#random === undefined ? () => 1 : mulberry32(this.#random.seed);
  }

  clear(): void {
    this.#script = [];
    this.setRandom(undefined);
  }

  /** The fault for one request to `api`, if any: the first matching scripted one, else a draw. */
  take(api: MockApi): MockFault | undefined {
    const index = this.#script.findIndex(({ fault }) => matches(fault.on ?? 'send', api));
    const scripted = this.#script[index];
    if (scripted !== undefined) {
      scripted.remaining -= 1;
      if (scripted.remaining === 0) this.#script.splice(index, 1);
      return scripted.fault;
    }
    return this.#draw(api);
  }

  #draw(api: MockApi): MockFault | undefined {
    const random = this.#random;
    if (random === undefined || !matches(random.on ?? 'send', api)) return undefined;
    // One draw per request, whatever it picks, so the sequence depends only on the requests.
    const roll = this.#next();
    let threshold = 0;
    for (const { probability, fault } of random.faults) {
      threshold += probability;
      if (roll < threshold) return fault.on === undefined || matches(fault.on, api) ? fault : undefined;
    }
    return undefined;
  }
}

/**
 * The answer a fault forces, or `undefined` for a delay-only fault (the request then goes on
 * as usual after the delay).
 */
export function faultAnswer(fault: MockFault): Answer | undefined {
  if (fault.drop === true) return { kind: 'drop' };
  if (fault.status === undefined) return undefined;
  const headers: Record<string, string> = {};
  if (fault.retryAfter !== undefined) headers['retry-after'] = String(fault.retryAfter);
  if (fault.body !== undefined) {
    headers['content-type'] = fault.contentType ?? 'text/plain; charset=utf-8';
    return { kind: 'reply', status: fault.status, headers, body: fault.body };
  }
  if (fault.status < 400 && fault.errorCode === undefined && fault.errorMsg === undefined) {
    return emptyAnswer(fault.status, headers);
  }
  if (fault.contentType !== undefined) headers['content-type'] = fault.contentType;
  return errorAnswer(fault.status, {
    headers,
    ...(fault.errorCode === undefined ? {} : { code: fault.errorCode }),
    ...(fault.errorMsg === undefined ? {} : { message: fault.errorMsg }),
  });
}
