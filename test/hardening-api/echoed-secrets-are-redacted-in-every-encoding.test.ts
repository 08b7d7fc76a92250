// A server that echoes the credentials it received (the token, the AK of the signature, the
// security token) URL-encoded, base64, base64url, in another case, JSON-escaped or as hex, in
// error_msg, error_code and X-Request-Id, gets none of them into an ApiError, an ErrorInfo, an
// event or a store: every common encoding of every secret is redacted, not only the exact string.
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createOutbox, isApiError, MemoryStore, resendAuthorizationMails, type Auth } from '../../src/index.js';
import { redactSecrets } from '../../src/api/auth.js';
import { toErrorInfo } from '../../src/errors/to-error-info.js';
import { useHostileServers, type HostileServer } from '../helpers/hostile-server.js';
import { PROJECT } from '../helpers/project.js';
import { AK, ENCODINGS, expectNoSecretIn, secretsReceived, SECURITY_TOKEN, SK, stringsOf, TOKEN } from '../helpers/secret-encodings.js';

const SECRETS = [TOKEN, AK, SK, SECURITY_TOKEN];
const AUTHS: ReadonlyArray<readonly [string, Auth]> = [
  ['a token', { token: TOKEN }],
  ['AK/SK with a security token', { ak: AK, sk: SK, securityToken: SECURITY_TOKEN }],
];

describe('redactSecrets', () => {
  it.each(ENCODINGS)('finds a secret %s', (_name, encode) => {
    for (const secret of SECRETS) {
      const text = `before ${encode(secret)} after`;
      const redacted = redactSecrets(text, SECRETS);
      expect(redacted).toMatch(/^before .*\[redacted\].* after$/);
      expectNoSecretIn(redacted, [secret], `redacted ${JSON.stringify(text)}`);
    }
  });

  it('leaves ordinary text alone and ignores secrets shorter than 4 characters', () => {
    const text = 'The request message is empty: records[0].id (WKS.0001) 0123456789';
    expect(redactSecrets(text, SECRETS)).toBe(text);
    expect(redactSecrets('abc abc', ['abc'])).toBe('abc abc');
  });

  it('takes well under a second on 64 KiB with a 6 KB token', () => {
    const token = Buffer.from(Array.from({ length: 4_500 }, (_, index) => (index * 7919) % 256)).toString('base64');
    const text = `${'x'.repeat(64 * 1024)}${encodeURIComponent(token)}`;
    const started = performance.now();
    expect(redactSecrets(text, [token, AK, SK])).toBe(`${'x'.repeat(64 * 1024)}[redacted]`);
    // Generous: this guards against a pathological (exponential) pattern, not a slow machine.
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});

/** A server that refuses with `status`, echoing what it received in `encoding` in every text field. */
function echoing(status: number, encode: (secret: string) => string) {
  return (request: { headers: Record<string, string | string[] | undefined> }) => {
    const echoed = secretsReceived(request.headers).map(encode);
    return {
      status,
      headers: { 'x-request-id': `req-${echoed.join('-')}` },
      body: { error_code: `WKS.${echoed.join('.')}`, error_msg: `bad credentials: ${echoed.join(' and ')}` },
    };
  };
}

describe.each(AUTHS)('a hostile server echoing what %s sent', (_what, auth) => {
  const startServer = useHostileServers();

  async function rejectionFrom(server: HostileServer): Promise<unknown> {
    return resendAuthorizationMails({ endpoint: server.url, projectId: PROJECT, auth, records: [{ id: 'r1' }] }).then(
      () => {
        throw new Error('expected the call to fail');
      },
      (error: unknown) => error,
    );
  }

  it.each(ENCODINGS)('%s: not in the ApiError (message, fields, JSON, inspect) nor in its ErrorInfo', async (_name, encode) => {
    const server = await startServer(echoing(400, encode));
    const error = await rejectionFrom(server);
    expect(isApiError(error)).toBe(true);
    expect(secretsReceived(server.received[0]!.headers).length).toBeGreaterThan(0);
    const forms = [String(error), JSON.stringify(error), inspect(error, { depth: 8 }), (error as Error).stack ?? '', stringsOf(error), stringsOf(toErrorInfo(error))];
    for (const form of forms) expectNoSecretIn(form, SECRETS, 'the error');
    expect(JSON.stringify(toErrorInfo(error))).toContain('[redacted]');
  });

  it.each(ENCODINGS)('%s: not in an outbox\'s events or its store (dead-lettered and retried records)', async (_name, encode) => {
    let calls = 0;
    // First a 503 (retried), then a 400 (dead-lettered): both kinds of stored error are checked.
    const server = await startServer((request) => echoing(++calls === 1 ? 503 : 400, encode)(request));
    const store = new MemoryStore();
    const outbox = createOutbox({ endpoint: server.url, projectId: PROJECT, auth, store, retry: { minDelayMs: 1, jitter: 0 } });
    const events: unknown[] = [];
    for (const name of ['retrying', 'failed', 'paused', 'error'] as const) outbox.on(name, (event) => events.push(event));
    try {
      await outbox.enqueue({ id: 'r1' });
      expect(await outbox.drain()).toEqual({ sent: 0, failed: 1, pending: 0 });
      const { entries } = await store.load();
      expect(entries.map((entry) => entry.deadReason)).toEqual(['rejected']);
      expect(events).toHaveLength(2);
      expectNoSecretIn(stringsOf(events), SECRETS, 'the events');
      expectNoSecretIn(stringsOf(entries), SECRETS, 'the store');
    } finally {
      await outbox.close();
    }
  });
});
