export { OutboxError, isOutboxError } from './OutboxError.js';
export { ValidationError, isValidationError, type ValidationIssue } from './ValidationError.js';
export { ApiError, isApiError, classifyAnswer, type ApiErrorKind, type ApiErrorFacts } from './ApiError.js';
export { NetworkError, isNetworkError } from './NetworkError.js';
export { TimeoutError, isTimeoutError } from './TimeoutError.js';
export { ProtocolError, isProtocolError } from './ProtocolError.js';
export { AuthError, isAuthError } from './AuthError.js';
