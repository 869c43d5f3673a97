import { UsageError } from '../../util/errors.js';

/** LineMessageReader's settings: which parts a line carries and how they are separated. */
export interface ReaderConfig {
  parseKey: boolean;
  keySeparator: string;
  parseHeaders: boolean;
  headersDelimiter: string;
  /** Kafka compiles `headers.separator` as a regular expression. */
  headersSeparator: RegExp;
  headersKeySeparator: string;
  ignoreError: boolean;
  nullMarker?: string;
}

/** LineMessageReader.configure: Kafka's defaults, boolean parsing and equality checks, with its messages. */
export function readerConfig(props: ReadonlyMap<string, string>): ReaderConfig {
  const bool = (key: string): boolean => props.get(key)?.trim().toLowerCase() === 'true';
  const keySeparator = props.get('key.separator') ?? '\t';
  const headersDelimiter = props.get('headers.delimiter') ?? '\t';
  const headersSeparator = props.get('headers.separator') ?? ',';
  const headersKeySeparator = props.get('headers.key.separator') ?? ':';
  const nullMarker = props.get('null.marker');
  const fail = (message: string): never => {
    throw new UsageError(`Error: ${message}`);
  };
  let separatorPattern: RegExp;
  try {
    separatorPattern = new RegExp(headersSeparator);
  } catch {
    return fail(`headers.separator '${headersSeparator}' is not a valid regular expression`);
  }
  if (headersDelimiter === headersSeparator) fail('headers.delimiter and headers.separator may not be equal');
  if (headersDelimiter === headersKeySeparator) fail('headers.delimiter and headers.key.separator may not be equal');
  if (headersSeparator === headersKeySeparator) fail('headers.separator and headers.key.separator may not be equal');
  if (nullMarker !== undefined) {
    if (keySeparator === nullMarker) fail('null.marker and key.separator may not be equal');
    if (headersSeparator === nullMarker) fail('null.marker and headers.separator may not be equal');
    if (headersDelimiter === nullMarker) fail('null.marker and headers.delimiter may not be equal');
    if (headersKeySeparator === nullMarker) fail('null.marker and headers.key.separator may not be equal');
  }
  return {
    parseKey: bool('parse.key'),
    keySeparator,
    parseHeaders: bool('parse.headers'),
    headersDelimiter,
    headersSeparator: separatorPattern,
    headersKeySeparator,
    ignoreError: bool('ignore.error'),
    ...(nullMarker !== undefined ? { nullMarker } : {}),
  };
}
