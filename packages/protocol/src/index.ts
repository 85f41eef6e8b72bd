export { Args } from './args.js';
export { copyBytes, sliceCopy } from './bytes.js';
export { type CommandArg, encodeCommand, encodeCommands } from './command-encoder.js';
export {
  DEFAULT_MAX_BULK_LENGTH,
  DEFAULT_MAX_MULTIBULK_LENGTH,
  type DecoderOptions,
  INLINE_MAX_SIZE,
  parseLength,
  RequestDecoder,
} from './decoder.js';
export {
  Encoded,
  formatDouble,
  R,
  type Reply,
  type ReplyEntries,
  ReplyWriter,
  type TaggedReply,
} from './encoder.js';
export { ProtocolError, type ProtocolErrorKind, ProtocolErrorMessages } from './errors.js';
export { type InlineArgs, splitInlineArgs } from './inline.js';
export {
  decodeReplies,
  type OnReply,
  PushReply,
  parseReply,
  ReplyDecoder,
  type ReplyDecoderOptions,
  ReplyError,
  ReplyFormatError,
  type ReplyMap,
  type ReplyValue,
} from './reply-decoder.js';
export { crc16, keySlot, SLOTS } from './slot.js';
export { CR, LF, RespType, type RespVersion } from './types.js';
