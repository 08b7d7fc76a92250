/** What the CLI's exit code says (documented in the README; tools that wrap us rely on it). */
export const EXIT = {
  /** Everything was sent (or the command succeeded). */
  ok: 0,
  /** Bad usage or an internal error; the message is on stderr. */
  error: 1,
  /** Some records were dead-lettered (see `wks-mail-outbox dead`). */
  deadLettered: 2,
  /** The outbox paused: credentials, permission or endpoint need fixing; records are kept. */
  paused: 3,
  /** `--deadline` passed before everything was sent: sending stopped, the rest stays queued for the next run. */
  deadline: 4,
  /** Stopped by SIGINT (Ctrl-C), after the summary: 128 + 2, as shells report it. */
  interrupted: 130,
  /** Stopped by SIGTERM, after the summary: 128 + 15. */
  terminated: 143,
} as const;

/** An error whose message is meant for the person at the terminal, with its exit code. */
export class CliError extends Error {
  readonly exitCode: number;

  constructor(message: string, exitCode: number = EXIT.error) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}
