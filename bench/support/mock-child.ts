// Runs the mock Workspace service in its own process (so its CPU does not compete with the
// client's event loop) and answers the parent's commands over IPC.
import { startMockWorkspace } from '../../src/mock-server.js';
import type { MockWorkspaceOptions } from '../../src/mock/types.js';

type Command =
  | { id: number; type: 'stats' }
  | { id: number; type: 'reset' }
  | { id: number; type: 'setRandom'; random: MockWorkspaceOptions['random'] | undefined }
  | { id: number; type: 'close' };

const options = JSON.parse(process.argv[2] ?? '{}') as MockWorkspaceOptions;
const mock = await startMockWorkspace(options);
const send = (message: unknown) => process.send?.(message);

process.on('message', async (command: Command) => {
  if (command.type === 'stats') {
    const byStatus: Record<string, number> = {};
    for (const request of mock.requests) byStatus[String(request.status)] = (byStatus[String(request.status)] ?? 0) + 1;
    const delivered = mock.deliveredIds();
    send({ id: command.id, stats: { requests: mock.requests.length, byStatus, delivered: delivered.length, uniqueDelivered: new Set(delivered).size } });
  } else if (command.type === 'reset') {
    mock.reset();
    send({ id: command.id });
  } else if (command.type === 'setRandom') {
    mock.setRandom(command.random);
    send({ id: command.id });
  } else if (command.type === 'close') {
    await mock.close();
    send({ id: command.id });
    process.disconnect();
  }
});
send({ ready: { url: mock.url, projectId: mock.projectId, token: mock.token } });
