/** What an error body said, when it said it in JSON. */
export interface ErrorBodyFacts {
  errorCode?: string | undefined;
  errorMsg?: string | undefined;
}

/**
 * Reads `{ error_code, error_msg }`, also in the `{ error: { code, message } }` shape some
 * gateways use. Non-JSON or other shapes give no facts (the status still classifies the answer).
 */
export function parseErrorBody(text: string): ErrorBodyFacts {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return {};
  }
  if (json === null || typeof json !== 'object') return {};
  const nested = (json as { error?: unknown }).error;
  const source =
    nested !== null && typeof nested === 'object'
      ? { error_code: (nested as { code?: unknown }).code, error_msg: (nested as { message?: unknown }).message }
      : json;
  // Field by field: one oddly typed field must not hide the other.
  const { error_code: errorCode, error_msg: errorMsg } = source as Record<string, unknown>;
  return {
    errorCode: typeof errorCode === 'string' ? errorCode : undefined,
    errorMsg: typeof errorMsg === 'string' ? errorMsg : undefined,
  };
}
