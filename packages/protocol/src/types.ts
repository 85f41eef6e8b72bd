/** RESP type bytes (RESP2 and RESP3) and the separators, as named constants. */
export const RespType = {
  SimpleString: 0x2b, // +
  Error: 0x2d, // -
  Integer: 0x3a, // :
  BulkString: 0x24, // $
  Array: 0x2a, // *
  Null: 0x5f, // _
  Double: 0x2c, // ,
  Boolean: 0x23, // #
  BlobError: 0x21, // !
  VerbatimString: 0x3d, // =
  BigNumber: 0x28, // (
  Map: 0x25, // %
  Set: 0x7e, // ~
  Attribute: 0x7c, // |
  Push: 0x3e, // >
} as const;

export const STAR = RespType.Array;
export const DOLLAR = RespType.BulkString;
export const CR = 0x0d;
export const LF = 0x0a;

/** Protocol versions a connection can speak (HELLO 2 / HELLO 3). */
export type RespVersion = 2 | 3;
