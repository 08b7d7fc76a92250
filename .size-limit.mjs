// size-limit's checks (npm run check:package and the bundle-size bench read them).
//
// Chunks loaded on demand are not counted in an entry's figure: an esbuild plugin makes their
// imports external under a fixed name. (size-limit's `ignore` would keep them as paths relative
// to its temporary folder, so the figure would change with where the checkout lies: CI's clone
// measured 70 B more than the same build elsewhere.)

/** @param {string[]} chunks names of dist/chunks/<name>-<hash>.js left out of the figure */
const leaveOut = (...chunks) => (config) => ({
  ...config,
  plugins: [
    ...(config.plugins ?? []),
    {
      name: 'on-demand-chunks',
      setup(build) {
        const pattern = new RegExp(`(?:^|/)(${chunks.join('|')})-[\\w-]+\\.js$`);
        build.onResolve({ filter: pattern }, ({ path }) => ({ path: `./chunks/${pattern.exec(path)[1]}.js`, external: true }));
      },
    },
  ],
});

const RARE_PATHS = ['sign-request', 'http-date'];

export default [
  {
    name: "createOutbox from wks-mail-outbox/browser (with zod/mini, idb-keyval; not counted: the chunks loaded on rare paths, below, and the pages' side of sender: 'service-worker', loaded only by the pages that ask for it)",
    path: 'dist/browser.js',
    import: '{ createOutbox }',
    limit: '25 kB',
    brotli: true,
    modifyEsbuildConfig: leaveOut(...RARE_PATHS, 'service-worker-pages', 'worker-messages'),
  },
  {
    name: "the pages' side of sender: 'service-worker' (a chunk loaded by the pages that ask for it)",
    path: ['dist/chunks/service-worker-pages-*.js', 'dist/chunks/worker-messages-*.js'],
    limit: '1.75 kB',
    brotli: true,
  },
  {
    name: 'serveOutbox from wks-mail-outbox/service-worker (in the app\'s worker, the AK/SK signer and the HTTP-date reader included: a service worker cannot import() them)',
    path: 'dist/service-worker.js',
    import: '{ serveOutbox }',
    limit: '26.8 kB',
    brotli: true,
    ignore: ['p-retry'],
    modifyEsbuildConfig: leaveOut('retrying-call'),
  },
  {
    name: 'the client alone: resendAuthorizationMails from wks-mail-outbox (not counted: p-retry, loaded only when `retry` is used, and the chunks loaded on rare paths, below)',
    path: 'dist/index.js',
    import: '{ resendAuthorizationMails }',
    limit: '14.35 kB',
    brotli: true,
    ignore: ['p-retry'],
    modifyEsbuildConfig: leaveOut(...RARE_PATHS),
  },
  {
    name: 'createOutbox from wks-mail-outbox (core, MemoryStore; not counted: the chunks loaded on rare paths, below)',
    path: 'dist/index.js',
    import: '{ createOutbox }',
    limit: '22.8 kB',
    brotli: true,
    modifyEsbuildConfig: leaveOut(...RARE_PATHS),
  },
  {
    name: 'the AK/SK signer, loaded by the first request with AK/SK auth',
    path: 'dist/chunks/sign-request-*.js',
    limit: '1 kB',
    brotli: true,
  },
  {
    name: 'the HTTP-date reader of Retry-After, loaded when an answer\'s Retry-After is a date',
    path: 'dist/chunks/http-date-*.js',
    limit: '0.6 kB',
    brotli: true,
  },
];
