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

/** Project IDs are 32 hex characters in practice; this accepts any path-safe token. */
const PROJECT_ID = /^[A-Za-z0-9_.-]{1,128}$/;

/**
 * Checks that a project ID can go into a URL path unchanged: letters, digits, `_`, `-`, `.`,
 * and not `.`/`..` segments.
 * @throws TypeError naming `option`.
 */
export function assertProjectId(projectId: unknown, option = 'projectId'): string {
  if (typeof projectId !== 'string' || !PROJECT_ID.test(projectId) || projectId.includes('..') || projectId === '.') {
    throw new TypeError(
      `${option} must be a project ID (letters, digits, "-", "_", "."; no "/", "..", "?", "#" or whitespace), got ${
        typeof projectId === 'string' ? JSON.stringify(projectId.slice(0, 80)) : typeof projectId
      }`,
    );
  }
  return projectId;
}
