/**
 * Protocol errors: the request stream is malformed and the connection cannot go on.
 *
 * The messages are redis-server 7's, word for word (networking.c). A server replies
 * `-ERR <message>` once and closes the connection.
 */
export const ProtocolErrorMessages = {
  invalidMultibulkLength: 'Protocol error: invalid multibulk length',
  invalidBulkLength: 'Protocol error: invalid bulk length',
  tooBigInlineRequest: 'Protocol error: too big inline request',
  tooBigMbulkCountString: 'Protocol error: too big mbulk count string',
  tooBigBulkCountString: 'Protocol error: too big bulk count string',
  unbalancedQuotes: 'Protocol error: unbalanced quotes in request',
  /** Before AUTH, when a password is set: more than 10 arguments. */
  unauthenticatedMultibulkLength: 'Protocol error: unauthenticated multibulk length',
  /** Before AUTH, when a password is set: a bulk string over 16 KiB. */
  unauthenticatedBulkLength: 'Protocol error: unauthenticated bulk length',
  /** Followed by the offending byte in quotes: `expected '$', got '+'`. */
  expectedDollar: "Protocol error: expected '$', got '%c'",
} as const;

export type ProtocolErrorKind = keyof typeof ProtocolErrorMessages;

export class ProtocolError extends Error {
  override readonly name = 'ProtocolError';
  /** The error code a server puts before the message on the wire. */
  readonly code = 'ERR';

  constructor(
    readonly kind: ProtocolErrorKind,
    message: string = ProtocolErrorMessages[kind],
  ) {
    super(message);
  }

  /** The complete error line a server sends: `ERR Protocol error: …`. */
  get reply(): string {
    return `${this.code} ${this.message}`;
  }
}

/** `expected '$', got 'x'`, with the byte shown the way redis-server shows it (CR/LF become spaces). */
export function expectedDollarError(byte: number): ProtocolError {
  const shown = byte === 13 || byte === 10 ? ' ' : String.fromCharCode(byte);
  return new ProtocolError('expectedDollar', ProtocolErrorMessages.expectedDollar.replace('%c', shown));
}
