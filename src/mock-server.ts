/**
 * `wks-mail-outbox/mock-server`: a real HTTP mock of the Workspace mail API on 127.0.0.1, for
 * integrators' tests. Node only. It validates requests and checks AK/SK signatures on its own,
 * sharing no code with the client, so that it can catch the client's bugs.
 */
export { startMockWorkspace } from './mock/server.js';
export type {
  MockApi,
  MockCredential,
  MockFault,
  MockRandomFaults,
  MockRecord,
  MockRequest,
  MockWorkspace,
  MockWorkspaceOptions,
} from './mock/types.js';
