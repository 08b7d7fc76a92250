/**
 * The longest delay timers support (2^31 - 1 ms, about 24.8 days): `setTimeout` fires at once
 * for anything longer. Every delay this library computes or reads from the network is at most this.
 */
export const MAX_TIMEOUT_MS = 2 ** 31 - 1;
