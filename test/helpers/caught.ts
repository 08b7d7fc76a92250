/**
 * What a thrown error looks like to a test: an Error whose extra fields (`code`, `pid`…) can be
 * read. The index type is `any`, not `unknown`, so that a test can also cast it to one of the
 * library's error classes (`error as ValidationError`).
 */
export type Caught = Error & Record<string, any>;

/** The error `promise` rejects with; fails the test if it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<Caught> {
  try {
    await promise;
  } catch (error) {
    return error as Caught;
  }
  throw new Error('expected a rejection, but the promise resolved');
}

/** The error `run` throws synchronously; fails the test if it returns. */
export function thrownBy(run: () => unknown): Caught {
  try {
    run();
  } catch (error) {
    return error as Caught;
  }
  throw new Error('expected a throw, but the call returned');
}
