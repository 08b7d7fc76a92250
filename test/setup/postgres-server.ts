// Once per `vitest run`: finds the PostgreSQL the tests use, and hands its URL to every test
// file as WKS_TEST_PG_URL. The machine's server (127.0.0.1:5432, trust, database `test`) or
// WKS_PG_URL when set (then removed from the environment: the CLI reads it, and the CLI tests'
// children must not find their queue in PostgreSQL unless they ask); when none answers, a throwaway server from Debian's PostgreSQL binaries
// (test/helpers/pg-server.ts), stopped at the end. Without either, the PostgreSQL tests say so
// and are skipped.
import pg from 'pg';
import { debianPgBin, startPgServer } from '../helpers/pg-server.js';

const MACHINE_URL = 'postgres://postgres@127.0.0.1:5432/test';

async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export default async function setup(): Promise<(() => void) | void> {
  const wanted = process.env.WKS_PG_URL ?? MACHINE_URL;
  delete process.env.WKS_PG_URL;
  if (await answers(wanted)) {
    process.env.WKS_TEST_PG_URL = wanted;
    return;
  }
  if (!debianPgBin()) {
    process.env.WKS_PG_SKIP = `no PostgreSQL answers at ${wanted.replace(/\/\/[^@]*@/, '//')} and no server binaries are installed`;
    return;
  }
  const server = startPgServer();
  process.env.WKS_TEST_PG_URL = server.url;
  return () => server.stop();
}
