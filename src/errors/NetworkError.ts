import { OutboxError, errorGuard } from './OutboxError.js';

/** No answer came: the connection failed or was dropped (maybe offline). Retryable. */
export class NetworkError extends OutboxError {
  override name = 'NetworkError' as const;
  override readonly retryable = true;
  readonly request: string;

  constructor(request: string, options?: { cause?: unknown }) {
    super(`${request} failed: no answer from the service (network error)`, options);
    this.request = request;
  }
}

export const isNetworkError = /* @__PURE__ */ errorGuard<NetworkError>('NetworkError');
