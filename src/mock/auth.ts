import { errorAnswer, type Answer } from './answers.js';
import type { ResolvedOptions } from './options.js';
import { verifySignature, type SignedRequest } from './signature.js';

/**
 * IAM authentication as the API gateway does it: an `X-Auth-Token`, or an AK/SK signature in
 * `Authorization`. A token, when present, is what counts. Returns the refusal, or `undefined`
 * when the request may go on.
 */
export function authenticate(request: SignedRequest, options: ResolvedOptions, now: number): Answer | undefined {
  const token = request.headers['x-auth-token'];
  if (token !== undefined) {
    if (options.forbiddenTokens.has(token)) return errorAnswer(403);
    if (options.validTokens.has(token)) return undefined;
    return errorAnswer(401);
  }
  if (request.headers['authorization'] === undefined) {
    return errorAnswer(401, { detail: 'no X-Auth-Token or Authorization header' });
  }
  const problem = verifySignature(request, options.credentials, now);
  return problem === undefined ? undefined : errorAnswer(401, { code: 'APIG.0301', message: 'Incorrect IAM authentication information', detail: problem });
}
