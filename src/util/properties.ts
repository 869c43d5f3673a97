import { UsageError } from './errors.js';
import { readUserFile } from './read-file.js';

/**
 * Parses `.properties` text with java.util.Properties.load semantics: `#`/`!` comments, `=`, `:` or
 * whitespace separators, backslash escapes and line continuations. Keys keep their first position;
 * a later duplicate replaces the value.
 */
export function parseProperties(text: string): Map<string, string> {
  return parseWithContext(text, 'Error: ');
}

/**
 * Reads a properties file; a file that cannot be read or parsed is a one-line error. UTF-8, unlike
 * Java's ISO-8859-1 `load(InputStream)`: ASCII files read the same and today's files are UTF-8.
 */
export function readPropertiesFile(path: string): Map<string, string> {
  return parseWithContext(readUserFile(path, 'properties file'), `Error: properties file '${path}': `);
}

/**
 * `k=v` arguments as Kafka's tools take them (`--producer-property`, `--consumer-property`): split at
 * the first `=`, no escapes; a missing value is empty, as in Kafka's CommandLineUtils.parseKeyValueArgs.
 */
export function parsePropertyArgs(args: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const arg of args) {
    const eq = arg.indexOf('=');
    const key = eq < 0 ? arg : arg.slice(0, eq);
    if (key.trim() === '') throw new UsageError(`Error: invalid property '${arg}': expected key=value`);
    out.set(key, eq < 0 ? '' : arg.slice(eq + 1));
  }
  return out;
}

/**
 * `.properties` text that parseProperties (and Java's Properties.load) reads back as `props`:
 * java.util.Properties.store's escapes, UTF-8 left as it is.
 */
export function formatProperties(props: ReadonlyMap<string, string>): string {
  const escapeText = (text: string, isKey: boolean): string =>
    text.replace(/[\\\n\r\t\f=:#! ]/g, (c, at: number) => {
      if (c === ' ' && !isKey && at > 0) return c;
      const named: Record<string, string> = { '\n': 'n', '\r': 'r', '\t': 't', '\f': 'f' };
      return `\\${named[c] ?? c}`;
    });
  return [...props].map(([key, value]) => `${escapeText(key, true)}=${escapeText(value, false)}\n`).join('');
}

const WHITESPACE = new Set([' ', '\t', '\f']);

interface LogicalLine {
  text: string;
  lineNumber: number;
}

function parseWithContext(text: string, errorPrefix: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of logicalLines(text)) {
    const [rawKey, rawValue] = splitKeyValue(line.text);
    const unescapeEntry = (raw: string): string => {
      const result = unescapeJava(raw);
      if (result === undefined) throw new UsageError(`${errorPrefix}malformed \\uxxxx escape on line ${line.lineNumber}`);
      return result;
    };
    out.set(unescapeEntry(rawKey), unescapeEntry(rawValue));
  }
  return out;
}

/**
 * Joins continued lines (odd number of trailing backslashes) and drops comments and blank lines.
 * As in Java, a comment is recognised only where the logical line's content would start, even after
 * a continuation that contributed nothing, and a comment line never continues.
 */
function* logicalLines(text: string): Generator<LogicalLine> {
  const lines = text.split(/\r\n|\r|\n/);
  let pending: LogicalLine | undefined;
  for (let i = 0; i < lines.length; i++) {
    const piece = skipLeadingWhitespace(lines[i]!);
    if (pending === undefined || pending.text === '') {
      if (piece === '' || piece.startsWith('#') || piece.startsWith('!')) {
        pending = undefined;
        continue;
      }
      pending ??= { text: '', lineNumber: i + 1 };
    }
    const continues = trailingBackslashes(piece) % 2 === 1;
    pending.text += continues ? piece.slice(0, -1) : piece;
    if (!continues) {
      yield pending;
      pending = undefined;
    }
  }
  if (pending !== undefined && pending.text !== '') yield pending;
}

/** Key ends at the first unescaped `=`, `:` or whitespace; whitespace and one `=`/`:` around it are skipped. */
function splitKeyValue(line: string): [string, string] {
  let keyEnd = 0;
  let hasSeparator = false;
  while (keyEnd < line.length) {
    const c = line[keyEnd]!;
    if (c === '\\') {
      keyEnd += 2;
      continue;
    }
    if (c === '=' || c === ':') {
      hasSeparator = true;
      break;
    }
    if (WHITESPACE.has(c)) break;
    keyEnd++;
  }
  keyEnd = Math.min(keyEnd, line.length);
  let valueStart = keyEnd + 1;
  while (valueStart < line.length) {
    const c = line[valueStart]!;
    if (!WHITESPACE.has(c)) {
      if (hasSeparator || (c !== '=' && c !== ':')) break;
      hasSeparator = true;
    }
    valueStart++;
  }
  return [line.slice(0, keyEnd), line.slice(valueStart)];
}

const SIMPLE_ESCAPES: Record<string, string> = { t: '\t', n: '\n', r: '\r', f: '\f' };

/** Java's loadConvert; undefined for a malformed `\uXXXX` (Java: "Malformed \uxxxx encoding."). */
function unescapeJava(raw: string): string | undefined {
  if (!raw.includes('\\')) return raw;
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const next = raw[++i];
    if (next === undefined) break;
    if (next === 'u') {
      const hex = raw.slice(i + 1, i + 5);
      if (!/^[0-9A-Fa-f]{4}$/.test(hex)) return undefined;
      out += String.fromCharCode(parseInt(hex, 16));
      i += 4;
    } else {
      out += SIMPLE_ESCAPES[next] ?? next;
    }
  }
  return out;
}

function skipLeadingWhitespace(line: string): string {
  let i = 0;
  while (i < line.length && WHITESPACE.has(line[i]!)) i++;
  return line.slice(i);
}

function trailingBackslashes(text: string): number {
  let n = 0;
  while (n < text.length && text[text.length - 1 - n] === '\\') n++;
  return n;
}
