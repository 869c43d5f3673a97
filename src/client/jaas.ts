import { UsageError } from '../util/errors.js';

/** One login module entry of a `sasl.jaas.config` value. */
export interface JaasEntry {
  loginModule: string;
  flag: 'required' | 'requisite' | 'sufficient' | 'optional';
  options: Map<string, string>;
}

const FLAGS = new Set(['required', 'requisite', 'sufficient', 'optional']);
const QUOTE_ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f' };

/**
 * Parses Kafka's single-entry JAAS syntax:
 * `<LoginModule> <flag> key="value" key2=word;` (quotes `"` or `'`, backslash escapes inside quotes,
 * `//` and `/* *\/` comments), as Kafka's JaasConfig reads it with a StreamTokenizer.
 */
export function parseJaasConfig(text: string): JaasEntry {
  const tokens = tokenize(text);
  const fail = (why: string): never => {
    throw new UsageError(`Error: invalid sasl.jaas.config: ${why}`);
  };
  const next = (): Token | undefined => tokens.shift();
  const loginModule = next();
  if (loginModule?.kind !== 'word') return fail('expected a login module class name');
  const flag = next();
  if (flag?.kind !== 'word' || !FLAGS.has(flag.text)) {
    return fail(`expected a control flag (required, requisite, sufficient or optional) after ${loginModule.text}`);
  }
  const options = new Map<string, string>();
  for (;;) {
    const key = next();
    if (key === undefined) return fail("missing ';' at the end");
    if (key.kind === 'symbol' && key.text === ';') break;
    if (key.kind !== 'word') return fail(`unexpected '${key.text}'`);
    const eq = next();
    if (eq?.kind !== 'symbol' || eq.text !== '=') return fail(`expected '=' after ${key.text}`);
    const value = next();
    if (value === undefined || value.kind === 'symbol') return fail(`value not specified for ${key.text}`);
    options.set(key.text, value.text);
  }
  if (tokens.length > 0) return fail('only one login module may be given');
  return { loginModule: loginModule.text, flag: flag.text as JaasEntry['flag'], options };
}

interface Token {
  kind: 'word' | 'quoted' | 'symbol';
  text: string;
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (text.startsWith('//', i)) {
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end + 1;
    } else if (text.startsWith('/*', i)) {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 2;
    } else if (c === '"' || c === "'") {
      const [value, end] = readQuoted(text, i + 1, c);
      tokens.push({ kind: 'quoted', text: value });
      i = end;
    } else if (/[^\s=;"']/.test(c)) {
      const start = i;
      while (i < text.length && /[^\s=;"']/.test(text[i]!) && !text.startsWith('//', i) && !text.startsWith('/*', i)) i++;
      tokens.push({ kind: 'word', text: text.slice(start, i) });
    } else {
      tokens.push({ kind: 'symbol', text: c });
      i++;
    }
  }
  return tokens;
}

/** Reads up to the closing quote; an unterminated quote ends at the end of the line, as StreamTokenizer does. */
function readQuoted(text: string, start: number, quote: string): [string, number] {
  let out = '';
  let i = start;
  while (i < text.length && text[i] !== quote && text[i] !== '\n') {
    if (text[i] === '\\' && i + 1 < text.length) {
      const escaped = text[i + 1]!;
      out += QUOTE_ESCAPES[escaped] ?? escaped;
      i += 2;
    } else {
      out += text[i++];
    }
  }
  return [out, i < text.length && text[i] === quote ? i + 1 : i];
}
