/** Why a frame could not be decoded or a message could not be encoded. */
export type ProtocolErrorCode =
  | 'TRUNCATED'
  | 'INVALID_VARINT'
  | 'INVALID_LENGTH'
  | 'NULL_NOT_ALLOWED'
  | 'INVALID_TAGGED_FIELD'
  | 'INVALID_VALUE'
  | 'UNSUPPORTED_FIELD'
  | 'UNKNOWN_API_KEY'
  | 'UNSUPPORTED_VERSION'
  | 'INVALID_FRAME_SIZE'
  | 'FRAME_TOO_LARGE';

/** The only error type the codecs throw for bad bytes; the broker answers or closes the connection. */
export class ProtocolError extends Error {
  constructor(
    readonly code: ProtocolErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ProtocolError';
  }
}
