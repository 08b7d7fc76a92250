import { OutboxError, errorGuard } from './OutboxError.js';

/** The service answered 2xx with a body this client cannot read. Not retryable. */
export class ProtocolError extends OutboxError {
  override name = 'ProtocolError' as const;
  readonly request: string;
  readonly requestId: string | undefined;

  constructor(request: string, problem: string, requestId?: string) {
    super(`${request}: ${problem}${requestId ? ` (request id ${requestId})` : ''}`);
    this.request = request;
    this.requestId = requestId;
  }
}

export const isProtocolError = /* @__PURE__ */ errorGuard<ProtocolError>('ProtocolError');
