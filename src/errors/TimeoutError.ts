import { OutboxError, errorGuard } from './OutboxError.js';

/** No complete answer came within `timeoutMs`. Retryable. */
export class TimeoutError extends OutboxError {
  override name = 'TimeoutError' as const;
  override readonly retryable = true;
  readonly request: string;
  readonly timeoutMs: number;

  constructor(request: string, timeoutMs: number) {
    super(`${request} timed out after ${timeoutMs} ms`);
    this.request = request;
    this.timeoutMs = timeoutMs;
  }
}

export const isTimeoutError = /* @__PURE__ */ errorGuard<TimeoutError>('TimeoutError');
