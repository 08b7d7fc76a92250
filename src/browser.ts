// wks-mail-outbox/browser: the core, plus (in later versions) the IndexedDB store and cross-tab coordination.
export * from './index.js';
