// How a service worker sends: in slices, one per event that wakes it (Background Sync `sync`, a
// page's message, `activate`), each given to `event.waitUntil`. The platform bounds an event's
// life, so a slice drains for at most `sliceMs`, lets the request under way end (its outcome is
// written before the event is over), and, when records are still waiting or backing off, asks
// to be woken again: it registers the Background Sync tag (Chromium allows that only while a
// page of the origin is open), and otherwise a `sync` event's slice fails, so that the browser
// fires it again later (its own retry schedule, minutes apart). A pause for credentials or
// configuration asks nothing: only a page (a token, a resume) can change that.
import type { ForwardedCommand } from '../outbox/coordinator.js';
import type { PauseReason } from '../outbox/events.js';
import type { Outbox } from '../outbox/outbox-interface.js';
import { oneAtATime } from '../outbox/one-at-a-time.js';

/** A registration that may have Background Sync (not every browser does). */
export interface MaybeSyncRegistration {
  readonly sync?: { register(tag: string): Promise<void> } | undefined;
}

/** How a slice ended: nothing left (or waiting for a page), woken again later, or records left with no way to be woken but a retry of the event or a page. */
export type SliceEnd = 'done' | 'rescheduled' | 'left';

/** Pauses a new slice cannot end: they wait for a page. */
const WAITS_FOR_A_PAGE: ReadonlySet<PauseReason> = new Set<PauseReason>(['auth', 'forbidden', 'config']);

/** What the slices work with; read when a slice runs (the outbox may be made after the slices). */
export interface SliceParts {
  readonly outbox: () => Outbox;
  readonly sliceMs: number;
  /** The Background Sync tag. */
  readonly tag: string;
  readonly registration: () => MaybeSyncRegistration | undefined;
  /** Reads the store into the worker's view (a page's write may not have reached it yet). */
  readonly reread: () => Promise<void>;
}

export class WorkerSlices {
  readonly #parts: SliceParts;

  constructor(parts: SliceParts) {
    this.#parts = parts;
  }

  /**
   * Runs a slice; during one, another after it (the one under way may be past its drain, and
   * miss what woke the worker now), shared by every call meanwhile. `flush`: backoff lifted first.
   */
  run(command?: ForwardedCommand): Promise<SliceEnd> {
    this.ask(command);
    return this.#run();
  }

  /** Notes a page's command for the next slice (a flush lifts the backoff first). */
  ask(command?: ForwardedCommand): void {
    if (command === 'flush') this.#flush = true;
  }

  /** A page asked for "send now": the next slice lifts the backoff first. */
  #flush = false;

  readonly #run = oneAtATime(() => this.#slice());

  async #slice(): Promise<SliceEnd> {
    const { outbox: outboxOf, sliceMs, tag, registration, reread } = this.#parts;
    const outbox = outboxOf();
    try {
      // What woke the worker (a page's enqueue) may have come before that page's "changed".
      await reread();
      // Credentials that failed (a token endpoint unreachable while offline, no page to hand one)
      // are tried again at every wake-up: no page may come to lift the pause.
      if (outbox.pausedReason === 'auth') outbox.resume();
      // Bounded like every slice: no drain of the worker outlives its event.
      const signal = AbortSignal.timeout(sliceMs);
      const flush = this.#flush;
      this.#flush = false;
      await (flush ? outbox.flush({ signal }) : outbox.drain({ signal }));
    } catch {
      // The slice's time is up (or the outbox closed): what is left waits for the next wake-up.
    }
    await outbox.stop().catch(() => undefined);
    const { counts, pausedReason } = outbox.getSnapshot();
    const waiting = counts.pending + counts.retrying + counts.sending;
    if (waiting === 0 || (pausedReason && WAITS_FOR_A_PAGE.has(pausedReason))) return 'done';
    const sync = registration()?.sync;
    if (!sync) return 'left';
    try {
      await sync.register(tag);
      return 'rescheduled';
    } catch {
      return 'left'; // no page open: Chromium refuses a registration from the worker alone
    }
  }
}
