import { ProtocolError } from './protocol-error.js';

/** Like Kafka's serializer: a version that lacks a non-ignorable field cannot carry a non-default value. */
export function unsupportedField(field: string, version: number): never {
  throw new ProtocolError('UNSUPPORTED_FIELD', `${field} cannot be set at version ${version}`);
}

/** A field that is nullable only in some versions, encoded at a version where it is not. */
export function nonNull<T>(value: T | null, field: string, version: number): T {
  if (value === null) throw new ProtocolError('NULL_NOT_ALLOWED', `${field} cannot be null at version ${version}`);
  return value;
}
