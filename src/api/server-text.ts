/**
 * Most characters kept of a text a server chose (`error_msg`): enough for any real message,
 * while a hostile or broken server cannot make every stored entry and event carry 64 KiB.
 */
export const MAX_SERVER_TEXT = 1024;

/** Most characters kept of a server's identifiers (`error_code`, `X-Request-Id`): real ones are under 64. */
export const MAX_SERVER_ID = 128;

/** Longest mark `boundServerText` appends: `… [cut N characters]` with N of up to 16 digits. */
export const MAX_CUT_MARK_LENGTH = 35;

const CUT_MARK = /… \[cut \d{1,16} characters\]$/;

/**
 * `text` if it has at most `max` characters (UTF-16 code units); otherwise its first `max`
 * characters (one less rather than split a surrogate pair) followed by `… [cut N characters]`.
 * The result is at most `max + MAX_CUT_MARK_LENGTH` characters. Idempotent: a text this function
 * already cut to `max` is returned unchanged.
 */
export function boundServerText(text: string, max: number = MAX_SERVER_TEXT): string {
  if (text.length <= max) return text;
  if (text.length <= max + MAX_CUT_MARK_LENGTH && CUT_MARK.test(text)) return text;
  let end = max;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}… [cut ${text.length - end} characters]`;
}
