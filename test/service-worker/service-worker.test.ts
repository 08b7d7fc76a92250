// The outbox hosted in a real service worker (Chromium, started and SIGKILLed by this process),
// with the app's page and worker served from 127.0.0.1 and the mock service in this process.
import { afterAll, beforeAll } from 'vitest';
import { serveApp, type AppServer } from '../helpers/service-worker-app.js';
import { closingEveryPage } from './specs/closing-every-page.js';
import { faultsAndKills } from './specs/faults-and-kills.js';
import { tokens } from './specs/tokens.js';
import { handOver } from './specs/hand-over.js';
import { platformLimits } from './specs/platform-limits.js';

let app: AppServer | undefined;
beforeAll(async () => {
  app = await serveApp();
});
afterAll(async () => {
  await app?.close();
});
const theApp = (): AppServer => {
  if (!app) throw new Error('the app server is not up');
  return app;
};

closingEveryPage(theApp);
faultsAndKills(theApp);
tokens(theApp);
handOver(theApp);
platformLimits(theApp);
