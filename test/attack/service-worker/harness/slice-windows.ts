// README: "Each slice ... inside `event.waitUntil` ... Outside a slice the worker sends nothing:
// the browser may stop it at any time." A request is inside a slice when it reached the server
// while some event's waitUntil promise was open (the slice lets the request under way finish, so
// its arrival is before the promise settles).
import type { MockRequest } from '../../../../src/mock-server.js';

/** When a waitUntil promise was open: [start, end] in ms since the epoch (end Infinity: still open). */
export type Window = readonly [number, number];

/** The requests that reached the server with no window open (`marginMs` for clocks read in two places). */
export function sendsOutside(sends: readonly MockRequest[], windows: readonly Window[], marginMs = 50): Array<{ at: number; status: MockRequest['status'] }> {
  return sends
    .filter((send) => !windows.some(([start, end]) => send.at >= start - marginMs && send.at <= end + marginMs))
    .map((send) => ({ at: send.at, status: send.status }));
}
