export * from './schemas.js';
export * from '../errors/index.js';
export { validateRecords } from './validate-records.js';
export { normalizeEndpoint, assertProjectId } from './endpoint.js';
export { parseRetryAfter, parseHttpDate, MAX_RETRY_AFTER_MS } from './retry-after.js';
export { MAX_SERVER_TEXT } from './server-text.js';
export { signRequest, formatSdkDate, SIGNING_ALGORITHM, type AkSkCredentials, type SignableRequest } from './signer.js';
export { type Auth, type TokenProvider } from './auth.js';
export { DEFAULT_TIMEOUT_MS, type WorkspaceCallOptions } from './request.js';
export { resendAuthorizationMails, type ResendAuthorizationMailsOptions, type ResendResult } from './resend.js';
export {
  listAuthorizationMailRecords,
  iterateAuthorizationMailRecords,
  type ListAuthorizationMailRecordsOptions,
  type AuthorizationMailPage,
} from './list.js';
export { endpointForRegion, REGIONS, type Region } from './regions.js';
