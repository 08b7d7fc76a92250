import type { CoordinatedEngine, ForwardedCommand } from './coordinator.js';
import type { Emitter, OutboxEventName, OutboxEvents, PauseReason } from './events.js';
import type { LiveSnapshot } from './live-snapshot.js';
import type { Outbox } from './outbox-interface.js';
import type { Runner } from './runner.js';
import type { OutboxRole } from './snapshot.js';

/** What the role needs of its outbox. */
export interface EngineRoleContext {
  readonly events: Emitter;
  readonly runner: Runner;
  readonly snapshot: LiveSnapshot;
  /** Re-reads the store (and lets the runner and the snapshot see the result). */
  sync(): Promise<void>;
  /** A drain waiting here, while another instance sends: ask that one to drain. */
  askSenderToDrain(): void;
  /** Runs forwarded commands (this instance is the sender then). */
  readonly outbox: Pick<Outbox, 'drain' | 'flush' | 'pause' | 'resume'>;
  isClosing(): boolean;
}

/**
 * The engine as its coordinator drives it: this instance's role (who sends), announced through
 * `coordination`; events relayed from another instance; commands forwarded to it.
 */
export class EngineRole implements CoordinatedEngine {
  readonly #ctx: EngineRoleContext;
  #role: OutboxRole = 'single';
  #announced: OutboxRole | undefined;
  #relaying = false;

  constructor(context: EngineRoleContext) {
    this.#ctx = context;
  }

  get role(): OutboxRole {
    return this.#role;
  }

  /** True while this instance may send (`leader` or `single`). */
  get isSender(): boolean {
    return this.#role !== 'follower';
  }

  /** True while an event being emitted came from another instance (it is not published again). */
  get relaying(): boolean {
    return this.#relaying;
  }

  get pausedReason(): PauseReason | undefined {
    return this.#ctx.runner.pausedReason;
  }

  setRole(role: OutboxRole, reason?: string, announce = true): void {
    // A role set silently (while the lock had not answered yet) is still announced once when asked.
    if (role === this.#role && reason === undefined && (!announce || this.#announced === role)) return;
    const promoted = role !== this.#role && role === 'leader';
    // The role takes effect at once (a follower must not start sending); the event waits a
    // microtask, so listeners subscribed right after createOutbox() hear it.
    this.#role = role;
    if (announce) {
      this.#announced = role;
      queueMicrotask(() => this.#ctx.events.emit('coordination', reason === undefined ? { role } : { role, reason }));
    } else this.#ctx.snapshot.invalidate();
    if (promoted) {
      // Take over from whoever sent before: what they left in flight is pending again, and the
      // drains waiting here (for the old sender) are this instance's to finish.
      this.#ctx.snapshot.inFlight.clear();
      this.#ctx.runner.claimAfter(this.sync());
    }
  }

  sync(): Promise<void> {
    return this.#ctx.sync();
  }

  async idle(): Promise<void> {
    for (let running = this.#ctx.runner.running; running; running = this.#ctx.runner.running) await running;
  }

  senderChanged(): void {
    if (this.isSender) return;
    // Whatever the old sender had in a request is pending again, or done and gone from the store.
    this.#ctx.snapshot.inFlight.clear();
    void this.sync().then(() => this.#ctx.askSenderToDrain());
  }

  relay<E extends OutboxEventName>(name: E, event: OutboxEvents[E]): void {
    this.#relaying = true;
    try {
      this.#ctx.events.emit(name, event);
    } finally {
      this.#relaying = false;
    }
  }

  run(command: ForwardedCommand, reason?: PauseReason): void {
    if (!this.isSender || this.#ctx.isClosing()) return;
    const { outbox } = this.#ctx;
    // The forwarding instance wrote records this one may not have read yet: read, then act.
    if (command === 'drain') void this.sync().then(() => outbox.drain()).catch(() => undefined);
    else if (command === 'flush') void this.sync().then(() => outbox.flush()).catch(() => undefined);
    else if (command === 'pause') outbox.pause(reason);
    // A forwarded resume lifts only the pause its sender saw (not a newer one of another reason).
    else if (reason === undefined || reason === this.pausedReason) outbox.resume();
  }
}
