// A throwaway PostgreSQL server from Debian's binaries, in a temporary directory, run as the
// `postgres` user when we are root (PostgreSQL refuses root): for a machine without a server,
// and for tests that stop or restart one (never the machine's own).
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PgServer {
  readonly url: string;
  /** Stops it (`-m fast`: connections are cut) and starts it again on the same port. */
  restart(): void;
  /** Stops it (`-m fast`), to be started again with `up()`. */
  down(): void;
  up(): void;
  stop(): void;
}

/** Where Debian keeps the newest PostgreSQL's binaries, or undefined when none is installed. */
export function debianPgBin(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const version = readdirSync(root).sort().reverse().find((v) => existsSync(join(root, v, 'bin', 'initdb')));
  return version && join(root, version, 'bin');
}

function run(bin: string, args: string[], env: Record<string, string> = {}): void {
  const root = process.getuid?.() === 0;
  const [command, full] = root ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
  execFileSync(command, full, { stdio: 'pipe', timeout: 120_000, env: { ...process.env, ...env } });
}

/**
 * Starts a server with a database `test` on 127.0.0.1: trust auth, or with `password` the user
 * `postgres` must give it (scram-sha-256). @throws when there are no binaries
 */
export function startPgServer(options: { password?: string } = {}): PgServer {
  const bin = debianPgBin();
  if (!bin) throw new Error('no PostgreSQL server binaries under /usr/lib/postgresql');
  const dir = mkdtempSync(join(tmpdir(), 'wks-pg-'));
  chmodSync(dir, 0o777);
  const data = join(dir, 'data');
  const port = 20000 + Math.floor(Math.random() * 20000);
  const pgCtl = (...args: string[]) => run(join(bin, 'pg_ctl'), ['-D', data, ...args]);
  const start = () => pgCtl('-w', '-l', join(dir, 'log'), '-o', `-p ${port} -h 127.0.0.1 -k ${dir} -c fsync=off`, 'start');
  const { password } = options;
  const auth = password === undefined ? ['-A', 'trust'] : ['-A', 'scram-sha-256', `--pwfile=${join(dir, 'pw')}`];
  if (password !== undefined) writeFileSync(join(dir, 'pw'), password, { mode: 0o644 });
  run(join(bin, 'initdb'), ['-D', data, ...auth, '-U', 'postgres', '--no-sync']);
  start();
  run(join(bin, 'createdb'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', 'test'], password === undefined ? {} : { PGPASSWORD: password });
  return {
    url: password === undefined ? `postgres://postgres@127.0.0.1:${port}/test` : `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/test`,
    restart: () => {
      pgCtl('-w', '-m', 'fast', 'stop');
      start();
    },
    down: () => pgCtl('-w', '-m', 'fast', 'stop'),
    up: start,
    stop: () => {
      try {
        pgCtl('-w', '-m', 'immediate', 'stop');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
