import { isUtf8 } from 'node:buffer';
import { UsageError } from '../../util/errors.js';
import type { ConsumedRecord } from '../common/consumed-record.js';
import type { OutputChunks, RecordFormatter } from './output-chunks.js';

/** Literal text is kept as a string unless escapes made it invalid UTF-8 (raw bytes such as `\xff`). */
type Token = { literal: string | Buffer } | { field: FieldCode };
type FieldCode = 't' | 'p' | 'o' | 'k' | 'K' | 's' | 'S' | 'R' | 'T' | 'h';

const FIELDS = new Set<string>(['t', 'p', 'o', 'k', 'K', 's', 'S', 'R', 'T', 'h']);

/**
 * A kcat `-f` format string: `%t` topic, `%p` partition, `%o` offset, `%k`/`%s` key/value bytes,
 * `%K`/`%S` their lengths (-1 for null), `%R` value length as a big-endian int32, `%T` timestamp
 * (-1 if none), `%h` headers as `n=v,...`, `%%` a percent sign; `\n \r \t \xHH \NNN` escapes.
 */
export function kcatFormatter(format: string): RecordFormatter {
  const tokens = parseKcatFormat(format);
  return (record, out) => {
    for (const token of tokens) {
      if (!('literal' in token)) writeField(token.field, record, out);
      else if (typeof token.literal === 'string') out.text(token.literal);
      else out.bytes(token.literal);
    }
  };
}

export function parseKcatFormat(format: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < format.length) {
    const percent = format.indexOf('%', i);
    if (percent < 0) {
      tokens.push({ literal: unescapeFormat(format.slice(i)) });
      break;
    }
    if (percent > i) tokens.push({ literal: unescapeFormat(format.slice(i, percent)) });
    const code = format[percent + 1];
    if (code === undefined) throw new UsageError('Error: --format: Empty formatter');
    if (code === '%') tokens.push({ literal: '%' });
    else if (FIELDS.has(code)) tokens.push({ field: code as FieldCode });
    else throw new UsageError(`Error: --format: Unsupported formatter: %${code}`);
    i = percent + 2;
  }
  return tokens;
}

const ESCAPE = /\\(x[0-9A-Fa-f]+|0[0-7]*|[1-9]\d*|[\s\S])/g;

/**
 * kcat's escapes: `\t \n \r`; `\x` + hex digits and digits as a C number (octal with a leading
 * 0) give one byte, wrapping at 256 as kcat's `char` does; any other escaped character is itself.
 */
function unescapeFormat(text: string): string | Buffer {
  const parts: Buffer[] = [];
  let last = 0;
  for (const m of text.matchAll(ESCAPE)) {
    parts.push(Buffer.from(text.slice(last, m.index)));
    parts.push(escaped(m[1]!));
    last = m.index + m[0].length;
  }
  parts.push(Buffer.from(text.slice(last)));
  const bytes = Buffer.concat(parts);
  return isUtf8(bytes) ? bytes.toString() : bytes;
}

function escaped(esc: string): Buffer {
  const simple: Record<string, string> = { t: '\t', n: '\n', r: '\r' };
  if (simple[esc] !== undefined) return Buffer.from(simple[esc]);
  let code: number | undefined;
  if (esc.length > 1 && esc.startsWith('x')) code = parseInt(esc.slice(1), 16);
  else if (/^\d+$/.test(esc)) code = esc.startsWith('0') ? parseInt(esc, 8) : parseInt(esc, 10);
  return code === undefined ? Buffer.from(esc) : Buffer.from([code % 256]);
}

function writeField(code: FieldCode, r: ConsumedRecord, out: OutputChunks): void {
  switch (code) {
    case 't':
      return out.text(r.topic);
    case 'p':
      return out.text(String(r.partition));
    case 'o':
      return out.text(r.offset);
    case 'k':
      if (r.key !== null) out.bytes(r.key);
      return;
    case 's':
      if (r.value !== null) out.bytes(r.value);
      return;
    case 'K':
      return out.text(String(r.key === null ? -1 : r.key.length));
    case 'S':
      return out.text(String(r.value === null ? -1 : r.value.length));
    case 'R': {
      const length = Buffer.alloc(4);
      length.writeInt32BE(r.value === null ? -1 : r.value.length);
      return out.bytes(length);
    }
    case 'T':
      return out.text(r.timestampType === 'NoTimestampType' ? '-1' : r.timestamp);
    case 'h':
      r.headers.forEach((h, i) => {
        out.text(`${i === 0 ? '' : ','}${h.key}=`);
        if (h.value === null) out.text('NULL');
        else out.bytes(h.value);
      });
      return;
  }
}
