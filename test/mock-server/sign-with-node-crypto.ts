// Moved to test/helpers/sign-with-node-crypto.ts. Kept only for test/api/signer.test.ts, which is
// not this change's to edit: once it imports '../helpers/sign-with-node-crypto.js', delete this file.
export { sdkDate, signWithNodeCrypto, type SignInput } from '../helpers/sign-with-node-crypto.js';
