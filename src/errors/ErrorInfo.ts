/**
 * What is kept of an error: plain data, never a secret, a cause or a stack. Stored with the
 * entry (`lastError`) and carried by events, so it crosses tabs and processes unchanged.
 */
export interface ErrorInfo {
  name: string;
  message: string;
  retryable: boolean;
  kind?: string | undefined;
  status?: number | undefined;
  errorCode?: string | undefined;
  errorMsg?: string | undefined;
  requestId?: string | undefined;
  retryAfterMs?: number | undefined;
}
