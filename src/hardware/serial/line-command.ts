/**
 * A command of a line-oriented ASCII protocol: what to send, how many reply lines to expect, which lines belong to
 * the reply, and how to turn them into a typed value. Parsing throws ReplyFormatError for a line that matched the
 * reply's shape but carries values the protocol does not allow.
 */
export interface LineCommand<T> {
  readonly text: string;
  /** Reply lines the device sends; 0 for a command it does not answer. */
  readonly replyLineCount: number;
  /** Whether `line` can be reply line number `index` (0-based) of this command. */
  accepts(line: string, index: number): boolean;
  /** A line the device sends instead of the reply when it refuses the command. */
  isRefusal(line: string): boolean;
  parse(lines: readonly string[]): T;
}

/** The reply had the right shape but wrong content (out-of-range number, unknown letter…). */
export class ReplyFormatError extends Error {
  override readonly name = 'ReplyFormatError';
}
