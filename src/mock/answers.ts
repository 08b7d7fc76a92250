/** What the mock decided to answer, before latency is applied and it is written. */
export type Answer =
  | {
      readonly kind: 'reply';
      readonly status: number;
      readonly headers: Readonly<Record<string, string>>;
      readonly body: string;
    }
  | { readonly kind: 'drop' };

/** `{ error_code, error_msg }` for the statuses the service and its gateway answer. */
const defaultErrors: Readonly<Record<number, readonly [code: string, message: string]>> = {
  400: ['WKS.0001', 'The request message is empty or malformed'],
  401: ['APIG.1002', 'Incorrect token or token resolution failed'],
  403: ['WKS.0403', 'Permissions required'],
  404: ['WKS.0404', 'No resources found'],
  405: ['WKS.0405', 'The request method is not allowed'],
  413: ['APIG.0201', 'Request entity too large'],
  415: ['WKS.0415', 'The requested resource format is not supported'],
  429: ['APIG.0308', 'The throttling threshold has been reached'],
  500: ['WKS.0500', 'An internal service error occurred'],
  502: ['APIG.0202', 'Backend unavailable'],
  503: ['WKS.0503', 'Service unavailable'],
  504: ['APIG.0203', 'Backend timeout'],
};

/** The default `[error_code, error_msg]` of a status. */
export function defaultError(status: number): readonly [code: string, message: string] {
  return defaultErrors[status] ?? [`WKS.0${status}`, `Mock error ${status}`];
}

/** A JSON answer (`Content-Type: application/json`). */
export function jsonAnswer(status: number, body: unknown, headers: Record<string, string> = {}): Answer {
  return {
    kind: 'reply',
    status,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  };
}

/** How an error answer departs from its status's default `{ error_code, error_msg }`. */
export interface ErrorParts {
  /** `error_code` instead of the status's default. */
  readonly code?: string;
  /** `error_msg` instead of the status's default. */
  readonly message?: string;
  /** Appended to the message ("…: records[2].id must be a non-empty string"); never holds secrets. */
  readonly detail?: string;
  readonly headers?: Record<string, string>;
}

/** An error answer with the service's body `{ error_code, error_msg }`. */
export function errorAnswer(status: number, parts: ErrorParts = {}): Answer {
  const [defaultCode, defaultMessage] = defaultError(status);
  const message = parts.message ?? defaultMessage;
  return jsonAnswer(
    status,
    { error_code: parts.code ?? defaultCode, error_msg: parts.detail === undefined ? message : `${message}: ${parts.detail}` },
    parts.headers,
  );
}

/** 200 with no body, as the send API answers. */
export function emptyAnswer(status: number, headers: Record<string, string> = {}): Answer {
  return { kind: 'reply', status, headers: { ...headers }, body: '' };
}
