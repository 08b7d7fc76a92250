import type { CoordinatedEngine, Coordinator, ForwardedCommand } from '../outbox/coordinator.js';
import type { OutboxEventName, OutboxEvents, PauseReason } from '../outbox/events.js';
import { isTabMessage, type TabMessage } from './tab-messages.js';

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
  #syncTimer: ReturnType<typeof setTimeout> | undefined;
  #closed = false;

  constructor(name: string) {
    this.#name = `wks-mail-outbox:${name}`;
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
    const locks = typeof navigator === 'object' ? (navigator as Navigator & { locks?: LockManager }).locks : undefined;
    if (typeof BroadcastChannel !== 'function' || !locks || typeof locks.request !== 'function') {
      const missing = [typeof BroadcastChannel !== 'function' && 'BroadcastChannel', !(locks && typeof locks.request === 'function') && 'Web Locks']
        .filter(Boolean)
        .join(' and ');
      control.setRole('single', `${missing} unavailable: working as a single tab (other tabs of this origin may send the same queue)`);
      return;
    }
    this.#channel = new BroadcastChannel(this.#name);
    this.#channel.onmessage = (message: MessageEvent) => {
      if (isTabMessage(message.data)) this.#receive(message.data);
    };
    // Until the lock answers, this tab must not send, and need not say anything yet.
    control.setRole('follower', undefined, false);
    const held = new Promise<void>((resolve) => (this.#releaseLock = resolve));
    const lead = async () => {
      if (this.#closed) return;
      control.setRole('leader');
      this.#post({ kind: 'sender' });
      await held;
    };
    // Ask without queueing first, so the first tab becomes leader without a "follower" flicker.
    locks
      .request(this.#name, { mode: 'exclusive', ifAvailable: true }, async (lock) => {
        if (lock) return lead();
        if (this.#closed) return;
        control.setRole('follower');
        this.#post({ kind: 'hello' });
        void locks.request(this.#name, { mode: 'exclusive' }, lead).catch(() => this.#lockFailed(control));
      })
      .catch(() => this.#lockFailed(control));
  }

  #lockFailed(control: CoordinatedEngine): void {
    if (!this.#closed) control.setRole('single', 'the Web Locks request failed: working as a single tab');
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#syncTimer);
    this.#releaseLock?.();
    this.#channel?.close();
    this.#channel = undefined;
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
      control.run(message.command, message.reason as PauseReason | undefined);
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
