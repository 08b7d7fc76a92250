// The first demo: the client against the embedded mock service, which is having a bad moment.
// Run with `npm run demo` (it builds first). Imports the package by its own name, as a user would.
import { isApiError, isOutboxError, resendAuthorizationMails } from 'wks-mail-outbox';
import { startMockWorkspace } from 'wks-mail-outbox/mock-server';

const records = [
  { id: 'mail-001', account: 'zhangsan', account_auth_type: 'USER', app_group_id: 'grp-1', mail_send_type: 'ADD_GROUP_AUTHORIZATION' },
  { id: 'mail-002', account: 'dev-team', account_auth_type: 'USER_GROUP', app_group_id: 'grp-1', mail_send_type: 'ADD_GROUP_AUTHORIZATION' },
  { id: 'mail-003', account: 'lisi', account_auth_type: 'USER', app_group_id: 'grp-1', mail_send_type: 'DEL_GROUP_AUTHORIZATION' },
];

const mock = await startMockWorkspace({ faults: [{ status: 503, retryAfter: 1 }] });
const call = { endpoint: mock.url, projectId: mock.projectId, auth: { token: mock.token }, language: 'en-us' };
console.log(`mock Workspace service on ${mock.url} (project ${mock.projectId}), scripted to answer 503 once`);

try {
  for (let attempt = 1; ; attempt++) {
    try {
      const result = await resendAuthorizationMails({ ...call, records });
      console.log(`attempt ${attempt}: 200, ${result.count} records accepted (request id ${result.requestId})`);
      break;
    } catch (error) {
      if (!isOutboxError(error) || !error.retryable || attempt >= 3) throw error;
      const waitMs = (isApiError(error) ? error.retryAfterMs : undefined) ?? 500;
      const facts = isApiError(error) ? `${error.status} ${error.errorCode}, kind "${error.kind}", request id ${error.requestId}` : error.name;
      console.log(`attempt ${attempt}: ${facts}`);
      console.log(`  retryable: yes; the service asked for Retry-After ${waitMs} ms, waiting that long`);
      await new Promise((resolve) => setTimeout(resolve, waitMs));
    }
  }
  const delivered = mock.deliveredIds();
  console.log(`the service received ${mock.requests.length} requests and delivered: ${delivered.join(', ')}`);
  if (delivered.length !== records.length) throw new Error('not every record was delivered');
} finally {
  await mock.close();
}
