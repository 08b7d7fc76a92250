// What every runtime check does with an outbox: enqueue `count` records named `<prefix>-<n>`,
// drain them against the mock, close, and report the drain's summary. Shared by the edge bundle
// and the Deno/Bun script, so each runtime runs the very same steps.

/** The record ids a check enqueues (and expects the mock to have received, no more, no less). */
export function recordIds(prefix, count) {
  return Array.from({ length: count }, (_, index) => `${prefix}-${index + 1}`);
}

/**
 * Enqueues, drains and closes one outbox made by `createOutbox(options)`.
 * @returns the drain's `{ sent, failed, pending }`.
 */
export async function drainRecords(createOutbox, options, prefix, count) {
  const outbox = createOutbox(options);
  try {
    await outbox.enqueue(recordIds(prefix, count).map((id) => ({ id })));
    const { sent, failed, pending } = await outbox.drain();
    return { sent, failed, pending };
  } finally {
    await outbox.close();
  }
}

/**
 * The outbox options for the mock whose `{ url, projectId, token, ak, sk }` the runtime was given:
 * its token, or with `auth: 'aksk'` its AK/SK credentials (the signer is then loaded, a chunk of
 * its own, by the first request).
 */
export function mockOptions(mock, auth = 'token') {
  return { endpoint: mock.url, projectId: mock.projectId, auth: auth === 'aksk' ? { ak: mock.ak, sk: mock.sk } : { token: mock.token } };
}
