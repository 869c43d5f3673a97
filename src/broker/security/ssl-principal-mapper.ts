import { X509Certificate } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import { ConfigError } from '../config/config-error.js';

type Rule = { kind: 'default' } | { kind: 'rule'; pattern: RegExp; replacement: string; toCase: '' | 'L' | 'U' };

/** One rule of `ssl.principal.mapping.rules`, as Kafka's SslPrincipalMapper parses them. */
const RULE = /^RULE:((?:\\.|[^\\/])*)\/((?:\\.|[^\\/])*)\/([LU]?)$/;

/**
 * Kafka's SslPrincipalMapper: `ssl.principal.mapping.rules` turn a client certificate's
 * distinguished name into a principal name. Rules are tried in order; the first whose pattern
 * matches the whole name rewrites it (Java's `$1` group references), optionally lower- or
 * upper-cased; DEFAULT keeps the name as it is. A name no rule matches is refused.
 */
export class SslPrincipalMapper {
  readonly #rules: Rule[];

  constructor(rulesText: string) {
    this.#rules = splitRules(rulesText).map(parseRule);
  }

  /** The principal name for a distinguished name; undefined when no rule matches. */
  map(distinguishedName: string): string | undefined {
    for (const rule of this.#rules) {
      if (rule.kind === 'default') return distinguishedName;
      const whole = new RegExp(`^(?:${rule.pattern.source})$`);
      if (!whole.test(distinguishedName)) continue;
      const name = distinguishedName.replace(whole, rule.replacement);
      return rule.toCase === 'L' ? name.toLowerCase() : rule.toCase === 'U' ? name.toUpperCase() : name;
    }
    return undefined;
  }
}

/** Rules are separated by commas or newlines, except inside a RULE's pattern or replacement. */
function splitRules(text: string): string[] {
  const rules: string[] = [];
  let rest = text.trim();
  while (rest !== '') {
    const rule = /^(DEFAULT|RULE:(?:\\.|[^\\/])*\/(?:\\.|[^\\/])*\/[LU]?)\s*(?:[,\n]\s*|$)/.exec(rest);
    if (rule === null) throw invalidRules(text);
    rules.push(rule[1]!);
    rest = rest.slice(rule[0].length);
  }
  return rules;
}

function parseRule(text: string): Rule {
  if (text === 'DEFAULT') return { kind: 'default' };
  const match = RULE.exec(text)!;
  let pattern: RegExp;
  try {
    pattern = new RegExp(match[1]!);
  } catch {
    throw invalidRules(text);
  }
  return { kind: 'rule', pattern, replacement: match[2]!, toCase: match[3] as '' | 'L' | 'U' };
}

function invalidRules(text: string): ConfigError {
  return new ConfigError('invalid-value', `Invalid rule: ${text} for configuration ssl.principal.mapping.rules`);
}

/** RFC 2253 escapes of an attribute value, as Java's X500Principal.getName() writes them. */
function escapeValue(value: string): string {
  return value.replace(/[,+"\\<>;]/g, (c) => `\\${c}`).replace(/^[ #]|[ ]$/g, (c) => `\\${c}`);
}

/**
 * The client certificate's subject in RFC 2253 form (most specific first: `CN=alice,OU=eng,O=kts`),
 * what Kafka's principal builder gives the mapping rules; undefined when the client sent none.
 */
export function peerDistinguishedName(socket: TLSSocket): string | undefined {
  const der = socket.getPeerCertificate()?.raw;
  if (der === undefined || der.length === 0) return undefined;
  const attributes = new X509Certificate(der).subject.split('\n').filter((line) => line !== '');
  return attributes
    .reverse()
    .map((line) => {
      const eq = line.indexOf('=');
      return `${line.slice(0, eq)}=${escapeValue(line.slice(eq + 1))}`;
    })
    .join(',');
}
