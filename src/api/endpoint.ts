/** Hosts where plain `http:` is allowed: the machine itself (mock services, local proxies). */
function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname);
}

/**
 * Checks and normalises the service's base URL: `https:` (or `http:` on loopback), no
 * credentials, query or fragment; a trailing slash is tolerated. Returns it without the slash.
 * @throws TypeError naming `option` when the endpoint is not usable.
 */
export function normalizeEndpoint(endpoint: unknown, option = 'endpoint'): string {
  if (typeof endpoint !== 'string' || endpoint.trim() === '') {
    throw new TypeError(`${option} must be a URL string such as "https://workspace.ap-southeast-1.myhuaweicloud.com"`);
  }
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new TypeError(`${option} is not a valid URL`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
    throw new TypeError(`${option} must use https: (plain http: is allowed only on loopback hosts), got ${url.protocol}`);
  }
  if (url.username || url.password) throw new TypeError(`${option} must not carry credentials`);
  if (url.search || url.hash || endpoint.includes('?') || endpoint.includes('#')) {
    throw new TypeError(`${option} must not have a query or a fragment`);
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/** The documented project ID format: 32 lowercase hex characters, as the service issues them. */
export const PROJECT_ID_FORMAT = /^[0-9a-f]{32}$/;
const EXAMPLE_PROJECT_ID = '0123456789abcdef0123456789abcdef';

/**
 * Checks that a project ID has the documented format: 32 lowercase hex characters (IAM issues
 * them so; the service's paths are case-sensitive). A wrong one would only reach a 404 for
 * every record. The message says what is wrong and, for upper-case hex, how to fix it.
 * @throws TypeError naming `option`.
 */
export function assertProjectId(projectId: unknown, option = 'projectId'): string {
  if (typeof projectId === 'string' && PROJECT_ID_FORMAT.test(projectId)) return projectId;
  throw new TypeError(projectIdProblem(projectId, option));
}

/** A wrong project ID at most this long is quoted in the error; a longer one could be a secret (AK: 20, SK: 40). */
const MAX_QUOTED = 12;

/** Why `projectId` is not a project ID, naming `option` and the expected format. */
export function projectIdProblem(projectId: unknown, option = 'projectId'): string {
  const expected = `${option} must be a project ID: 32 lowercase hex characters (0-9, a-f), e.g. "${EXAMPLE_PROJECT_ID}"`;
  if (typeof projectId !== 'string') return `${expected}, got ${projectId === null ? 'null' : typeof projectId}`;
  if (/^[0-9A-Fa-f]{32}$/.test(projectId)) {
    return `${expected}, got ${JSON.stringify(projectId)} in upper case: project IDs are lowercase, use "${projectId.toLowerCase()}"`;
  }
  // Quoted only when too short to be a credential passed in the wrong place (a token, an AK or SK).
  const shown = projectId.length <= MAX_QUOTED ? JSON.stringify(projectId) : 'a string';
  return `${expected}, got ${shown} (${projectId.length} characters)`;
}
