/**
 * The project id of the fixtures (`bareEntry`, `fullEntry` of the store conformance suite) and
 * of tests that need a valid one without a mock (the mock's own `projectId` is another).
 */
export const PROJECT = '0123456789abcdef0123456789abcdef';
