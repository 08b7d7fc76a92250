import { OutboxError, errorGuard } from './OutboxError.js';

/**
 * Credentials could not be produced or used: the token provider threw or returned something
 * that is not a usable header value. Never carries the credential itself.
 */
export class AuthError extends OutboxError {
  override name = 'AuthError' as const;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export const isAuthError = /* @__PURE__ */ errorGuard<AuthError>('AuthError');
