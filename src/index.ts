// wks-mail-outbox: the isomorphic core. No `node:` import and no DOM-only global at import time.
export * from './api/index.js';
