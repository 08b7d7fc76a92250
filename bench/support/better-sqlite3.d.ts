// The part of better-sqlite3's API the benchmark uses (the package ships no types, and
// @types/better-sqlite3 is not a dependency).
declare module 'better-sqlite3' {
  namespace Database {
    interface Statement {
      run(...parameters: unknown[]): { changes: number; lastInsertRowid: number | bigint };
    }
    interface Database {
      pragma(source: string, options?: { simple?: boolean }): unknown;
      exec(source: string): this;
      prepare(source: string): Statement;
      transaction<F extends (...args: never[]) => unknown>(fn: F): F;
      close(): this;
    }
  }
  const Database: new (filename: string, options?: Record<string, unknown>) => Database.Database;
  export default Database;
}
