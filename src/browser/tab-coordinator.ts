import type { CoordinatedEngine, Coordinator, ForwardedCommand } from '../outbox/coordinator.js';
import type { OutboxEventName, OutboxEvents, PauseReason } from '../outbox/events.js';
import { isTabMessage, type TabMessage } from './tab-messages.js';

/** How a `TabCoordinator` takes part. */
export interface TabCoordinatorOptions {
  /** Ask for the sending role at start (else only after `contend()`). @default true */
  readonly contend?: boolean;
  /** A command forwarded to this sender, before the engine runs it: true when handled here (a service worker bounds a drain by its slice). */
  readonly onCommand?: (command: ForwardedCommand, reason: PauseReason | undefined) => boolean;
  /** A message of the outbox's channel this coordinator does not handle itself (a service worker's). */
  readonly onOther?: (message: TabMessage) => void;
}

/** The Web Locks API where it is usable. */
function webLocks(): LockManager | undefined {
  const locks = typeof navigator === 'object' ? (navigator as Navigator & { locks?: LockManager }).locks : undefined;
  return locks && typeof locks.request === 'function' ? locks : undefined;
}

/** Followers refresh their picture of the queue at most this often while events stream in. */
const FOLLOWER_SYNC_MS = 30;

/**
 * Makes the tabs of one outbox act as one: the Web Locks API elects the tab that sends (one lock
 * per outbox name; when that tab closes or crashes the browser hands the lock to another), and a
 * BroadcastChannel carries the sender's events to every tab, other tabs' writes to the sender,
 * and followers' commands (flush, pause, resume) to it. Without Web Locks or BroadcastChannel the
 * outbox works as a single tab and says so once through a `coordination` event.
 */
export class TabCoordinator implements Coordinator {
  readonly #name: string;
  #control: CoordinatedEngine | undefined;
  #channel: BroadcastChannel | undefined;
  #releaseLock: (() => void) | undefined;
  #locks: LockManager | undefined;
  #contending: AbortController | undefined;
  /** Why this instance stays a follower, once `withdraw` said so (announced once). */
  #withdrawn: string | undefined;
  readonly #options: TabCoordinatorOptions;
  #syncTimer: ReturnType<typeof setTimeout> | undefined;
  #closed = false;

  constructor(name: string, options: TabCoordinatorOptions = {}) {
    this.#name = `wks-mail-outbox:${name}`;
    this.#options = options;
  }

  publish<E extends OutboxEventName>(name: E, payload: OutboxEvents[E]): void {
    this.#post({ kind: 'event', name, payload });
  }

  changed(): void {
    this.#post({ kind: 'changed' });
  }

  forward(command: ForwardedCommand, reason?: PauseReason): void {
    this.#post({ kind: 'command', command, reason });
  }

  /** Starts coordinating `control`'s engine with the other tabs. */
  start(control: CoordinatedEngine): void {
    this.#control = control;
    const locks = webLocks();
    if (typeof BroadcastChannel !== 'function' || !locks) {
      const missing = [typeof BroadcastChannel !== 'function' && 'BroadcastChannel', !locks && 'Web Locks'].filter(Boolean).join(' and ');
      control.setRole('single', `${missing} unavailable: working as a single tab (other tabs of this origin may send the same queue)`);
      return;
    }
    this.#locks = locks;
    this.#channel = new BroadcastChannel(this.#name);
    this.#channel.onmessage = (message: MessageEvent) => {
      if (isTabMessage(message.data)) this.#receive(message.data);
    };
    // Until the lock answers, this tab must not send, and need not say anything yet.
    control.setRole('follower', undefined, false);
    if (this.#options.contend !== false) this.contend();
  }

  /** Whether this instance could coordinate (Web Locks and BroadcastChannel are there). */
  get coordinating(): boolean {
    return this.#channel !== undefined;
  }

  /**
   * Asks for the sending role (the Web Lock) if it does not yet: at once when it is free,
   * otherwise in turn. `reason` is announced with the role it gets first.
   */
  contend(reason?: string): void {
    const [control, locks] = [this.#control, this.#locks];
    if (!control || !locks || this.#closed || this.#contending) return;
    this.#withdrawn = undefined;
    const contending = new AbortController();
    this.#contending = contending;
    const held = new Promise<void>((resolve) => (this.#releaseLock = resolve));
    const lead = async () => {
      if (this.#closed || this.#contending !== contending) return;
      control.setRole('leader', reason);
      this.#post({ kind: 'sender' });
      await held;
    };
    // Ask without queueing first, so the first tab becomes leader without a "follower" flicker.
    locks
      .request(this.#name, { mode: 'exclusive', ifAvailable: true }, async (lock) => {
        if (lock) return lead();
        if (this.#closed || this.#contending !== contending) return;
        control.setRole('follower', reason);
        this.#post({ kind: 'hello' });
        void locks.request(this.#name, { mode: 'exclusive', signal: contending.signal }, lead).catch(() => this.#lockFailed(control, contending));
      })
      .catch(() => this.#lockFailed(control, contending));
  }

  /**
   * Stops asking for the sending role, and lets go of it if held (another instance waiting for
   * the lock takes over and says so): this instance stays a follower, for `reason`.
   */
  withdraw(reason: string): void {
    const control = this.#control;
    if (!control || !this.#locks || this.#closed || this.#withdrawn === reason) return;
    this.#withdrawn = reason;
    const contending = this.#contending;
    this.#contending = undefined;
    contending?.abort();
    const release = this.#releaseLock;
    this.#releaseLock = undefined;
    control.setRole('follower', reason);
    if (!contending) return;
    this.#post({ kind: 'hello' });
    // The lock goes once this instance's last request has ended: never two senders at once.
    void control.idle().then(() => release?.());
  }

  #lockFailed(control: CoordinatedEngine, contending: AbortController): void {
    // Withdrawn on purpose (the queued request aborted): nothing failed.
    if (!this.#closed && this.#contending === contending) control.setRole('single', 'the Web Locks request failed: working as a single tab');
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#syncTimer);
    this.#contending?.abort();
    this.#releaseLock?.();
    this.#channel?.close();
    this.#channel = undefined;
  }

  /** Re-reads the store into this instance's view (once started). */
  async sync(): Promise<void> {
    await this.#control?.sync();
  }

  /** Says `message` to every other instance of this outbox (tabs, service worker). */
  post(message: TabMessage): void {
    this.#post(message);
  }

  #post(message: TabMessage): void {
    try {
      this.#channel?.postMessage(message);
    } catch {
      // A closed channel (tab going away) has nobody left to tell.
    }
  }

  #receive(message: TabMessage): void {
    const control = this.#control;
    if (!control || this.#closed) return;
    if (message.kind === 'token-wanted') return this.#options.onOther?.(message);
    if (message.kind === 'event') control.relay(message.name, message.payload as OutboxEvents[OutboxEventName]);
    if (message.kind === 'hello') {
      if (control.role === 'leader') this.#post({ kind: 'state', paused: control.pausedReason ?? null });
      return;
    }
    if (message.kind === 'sender') {
      control.senderChanged();
      return;
    }
    if (message.kind === 'state') {
      // A tab opened while the sender was paused learns it (and its drain() ends as paused).
      if (control.role === 'follower' && message.paused && !control.pausedReason) control.relay('paused', { reason: message.paused });
      return;
    }
    if (message.kind === 'command' && control.role === 'leader') {
      const reason = message.reason as PauseReason | undefined;
      if (!this.#options.onCommand?.(message.command, reason)) control.run(message.command, reason);
      return;
    }
    if (control.role === 'leader') {
      if (message.kind === 'changed') void control.sync();
    } else {
      this.#scheduleSync();
    }
  }

  #scheduleSync(): void {
    if (this.#syncTimer !== undefined) return;
    this.#syncTimer = setTimeout(() => {
      this.#syncTimer = undefined;
      void this.#control?.sync();
    }, FOLLOWER_SYNC_MS);
  }
}
