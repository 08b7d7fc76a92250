// What the store leaves on disk is private to its user (directory 0700, files 0600, whatever
// the umask), and holds no secret: tokens, AK, SK and security tokens are never written, also
// not inside the errors it keeps after 401s and 500s.
import { chmod, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createOutbox, FileStore, type Auth, type Outbox } from '../../src/node.js';
import type { MockWorkspaceOptions } from '../../src/mock-server.js';
import { filesUnder } from '../helpers/files-under.js';
import { useMocks } from '../helpers/mock-service.js';
import { useTempDirs } from '../helpers/temp-dirs.js';
import { bareEntry } from '../../src/testing.js';

const tempDir = useTempDirs();
const modeOf = async (path: string) => (await stat(path)).mode & 0o777;

describe('permissions', () => {
  let umask: number;
  beforeEach(() => {
    umask = process.umask(0o000); // the most permissive umask: the store must not rely on it
  });
  afterEach(() => {
    process.umask(umask);
  });

  it('a new store directory is 0700, its journal and lock 0600', async () => {
    const dir = join(await tempDir('perm-new'), 'nested', 'store');
    const store = new FileStore({ dir });
    await store.putMany([bareEntry('a')]);
    expect(await modeOf(dir)).toBe(0o700);
    expect(await modeOf(store.journalPath)).toBe(0o600);
    expect(await modeOf(join(dir, 'lock'))).toBe(0o600);
    await store.close();
  });

  it('an existing directory and journal with looser modes are tightened to 0700 and 0600 on open', async () => {
    const dir = await tempDir('perm-existing');
    await chmod(dir, 0o755);
    await writeFile(join(dir, 'journal.jsonl'), `${JSON.stringify({ put: [bareEntry('a')] })}\n`, { mode: 0o644 });
    await chmod(join(dir, 'journal.jsonl'), 0o644);

    const store = new FileStore({ dir });
    expect((await store.load()).entries).toHaveLength(1);
    expect(await modeOf(dir)).toBe(0o700);
    expect(await modeOf(store.journalPath)).toBe(0o600);
    await store.close();
  });

  it('quarantine.jsonl is 0600', async () => {
    const dir = await tempDir('perm-quarantine');
    await writeFile(join(dir, 'journal.jsonl'), `${JSON.stringify({ put: [bareEntry('a')] })}\nnot json\n`, { mode: 0o600 });
    const store = new FileStore({ dir });
    expect((await store.load()).problems).toHaveLength(1);
    expect(await modeOf(store.quarantinePath)).toBe(0o600);
    await store.close();
  });

  it('the journal is still 0600 after compaction replaced it', async () => {
    const dir = await tempDir('perm-compaction');
    const store = new FileStore({ dir, compactSlack: 5 });
    for (let round = 0; round < 20; round++) {
      await store.putMany([bareEntry(`e${round}`, { seq: round })]);
      await store.deleteMany([bareEntry(`e${round}`).key]);
    }
    expect((await readFile(store.journalPath, 'utf8')).split('\n').length, 'the journal was compacted').toBeLessThan(20);
    expect(await modeOf(store.journalPath)).toBe(0o600);
    await store.close();
  });
});

describe('secrets', () => {
  const startMock = useMocks();
  const outboxes: Outbox[] = [];
  afterEach(async () => {
    await Promise.all(outboxes.splice(0).map((outbox) => outbox.close()));
  });

  /**
   * Runs an outbox with `auth` through a 500, 401s (pausing it), a resume, a rejected record
   * (dead-lettered with its error) and deliveries; returns its store directory, still open.
   */
  async function runScenario(mockOptions: MockWorkspaceOptions, auth: Auth, faults: MockWorkspaceOptions['faults']): Promise<{ dir: string; outbox: Outbox }> {
    const mock = await startMock({ ...mockOptions, poisonIds: ['poison-1'], faults });
    const dir = await tempDir('secrets');
    const outbox = createOutbox({ endpoint: mock.url, projectId: mock.projectId, auth, dir, batchSize: 10, retry: { minDelayMs: 5, maxDelayMs: 20, jitter: 0 } });
    outboxes.push(outbox);
    const paused = new Promise((resolve) => outbox.on('paused', resolve));
    await outbox.enqueue([{ id: 'r1' }, { id: 'r2' }, { id: 'poison-1' }, { id: 'r3', account: 'someone' }]);
    void outbox.drain();
    await paused;
    // The errors are kept with the entries: the scan below is meaningful only if they are there.
    const journal = await readFile(join(dir, 'journal.jsonl'), 'utf8');
    expect(journal).toContain('"status":500');
    expect(journal).toContain('"status":401');
    mock.reset();
    outbox.resume();
    const summary = await outbox.drain();
    expect(summary).toMatchObject({ sent: 3, failed: 1, pending: 0 });
    return { dir, outbox };
  }

  async function expectNoSecretIn(dir: string, secrets: readonly string[]): Promise<void> {
    const files = await filesUnder(dir);
    expect([...files.keys()]).toContain('journal.jsonl');
    for (const [path, text] of files) {
      for (const secret of secrets) expect(text.includes(secret), `${secret} found in ${join(dir, path)}`).toBe(false);
    }
  }

  it('a token (a string), also one the service refuses with 401, is never written to a file of the store', async () => {
    const token = 'tok-SECRET-string-5e1f0c';
    const { dir, outbox } = await runScenario({ token }, { token }, [{ status: 500 }, { status: 401 }]);
    await expectNoSecretIn(dir, [token]);
    await outbox.close();
    await expectNoSecretIn(dir, [token]);
  });

  it('a token from a provider, refreshed after a 401, is never written to a file of the store', async () => {
    const tokens = ['tok-SECRET-first-a71b', 'tok-SECRET-second-c93d'];
    let calls = 0;
    const provider = () => tokens[Math.min(calls++, 1)] as string;
    const { dir, outbox } = await runScenario({ token: tokens[1] }, { token: provider }, [{ status: 500 }, { status: 401 }, { status: 401 }]);
    await outbox.close();
    await expectNoSecretIn(dir, tokens);
  });

  it('AK, SK and the security token are never written to a file of the store', async () => {
    const credentials = { ak: 'AKSECRETACCESSKEY0042', sk: 'sk-SECRET-9f8e7d6c5b4a', securityToken: 'st-SECRET-temporary-1234' };
    const { dir, outbox } = await runScenario({ credentials: [credentials] }, credentials, [{ status: 500 }, { status: 401 }]);
    await expectNoSecretIn(dir, [credentials.ak, credentials.sk, credentials.securityToken]);
    await outbox.close();
    await expectNoSecretIn(dir, [credentials.ak, credentials.sk, credentials.securityToken]);
  });

  it('wrong credentials the service answers 401 to are never written either', async () => {
    const wrong = { ak: 'AKWRONGACCESSKEY0099', sk: 'sk-SECRET-wrong-0000aaaa' };
    const mock = await startMock({ credentials: [{ ak: 'AKRIGHT', sk: 'right-sk' }] });
    const dir = await tempDir('secrets-wrong');
    const outbox = createOutbox({ endpoint: mock.url, projectId: mock.projectId, auth: wrong, dir });
    outboxes.push(outbox);
    const paused = new Promise((resolve) => outbox.on('paused', resolve));
    await outbox.enqueue({ id: 'r1' });
    void outbox.drain();
    await paused;
    await outbox.close();
    expect(await readFile(join(dir, 'journal.jsonl'), 'utf8')).toContain('"status":401');
    await expectNoSecretIn(dir, [wrong.ak, wrong.sk]);
  });
});
