// Under happy-dom there is no indexedDB: give DOM tests a real-enough one.
export {};
if (typeof window !== 'undefined') {
  // @ts-expect-error fake-indexeddb's "exports" map hides its types from TypeScript's resolver.
  await import('fake-indexeddb/auto');
}
