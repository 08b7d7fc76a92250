// wks-mail-outbox/node: the core, plus (in later versions) the file-backed store.
export * from './index.js';
