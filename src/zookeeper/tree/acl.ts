import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import type { Acl } from '../protocol/acl.js';

/** An identity a connection has proven: world:anyone, ip:<address>, digest:<user>:<hash>. */
export interface AuthId {
  scheme: string;
  id: string;
}

/** DigestAuthenticationProvider: `user:base64(sha1("user:password"))`. */
export function digestId(userPassword: string): string {
  const user = userPassword.slice(0, Math.max(0, userPassword.indexOf(':')));
  return `${user}:${createHash('sha1').update(userPassword, 'utf8').digest('base64')}`;
}

/** Whether `ids` hold any of the `perm` bits on a node with `acl` (ZooKeeperServer.checkACL). */
export function allowed(acl: readonly Acl[], ids: readonly AuthId[], perm: number): boolean {
  if (acl.length === 0) return true;
  for (const entry of acl) {
    if ((entry.perms & perm) === 0) continue;
    if (entry.scheme === 'world' && entry.id === 'anyone') return true;
    for (const id of ids) {
      if (id.scheme !== entry.scheme) continue;
      if (entry.scheme === 'ip' ? ipMatches(entry.id, id.id) : entry.id === id.id) return true;
    }
  }
  return false;
}

/**
 * PrepRequestProcessor.fixupACL: `auth` entries become one entry per authenticated (non-ip) id of
 * the session; undefined when the list is empty, malformed or names an `auth` with no such id.
 */
export function fixupAcl(acl: readonly Acl[], ids: readonly AuthId[]): Acl[] | undefined {
  if (acl.length === 0) return undefined;
  const out: Acl[] = [];
  for (const entry of acl) {
    if (entry.scheme === 'auth') {
      const mine = ids.filter((id) => id.scheme !== 'world' && id.scheme !== 'ip');
      if (mine.length === 0) return undefined;
      for (const id of mine) out.push({ perms: entry.perms, scheme: id.scheme, id: id.id });
    } else if (validAclId(entry)) {
      out.push(entry);
    } else {
      return undefined;
    }
  }
  return dedupe(out);
}

/** getACL without ADMIN: digest hashes are hidden as `user:x`. */
export function redactDigests(acl: readonly Acl[]): Acl[] {
  return acl.map((a) => (a.scheme === 'digest' ? { ...a, id: a.id.replace(/:.*/s, ':x') } : a));
}

function validAclId(entry: Acl): boolean {
  switch (entry.scheme) {
    case 'world':
      return entry.id === 'anyone';
    case 'digest':
      return entry.id.split(':').length === 2;
    case 'ip':
      return ipPattern(entry.id) !== undefined;
    default:
      return false;
  }
}

function dedupe(acl: Acl[]): Acl[] {
  const seen = new Set<string>();
  return acl.filter((a) => {
    const key = `${a.perms}/${a.scheme}/${a.id}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

interface IpPattern {
  bytes: Buffer;
  bits: number;
}

function ipPattern(text: string): IpPattern | undefined {
  const [addr = '', bitsText] = text.split('/');
  const bytes = ipBytes(addr);
  if (!bytes) return undefined;
  const bits = bitsText === undefined ? bytes.length * 8 : Number(bitsText);
  if (!Number.isInteger(bits) || bits < 0 || bits > bytes.length * 8) return undefined;
  return { bytes, bits };
}

function ipBytes(addr: string): Buffer | undefined {
  if (isIP(addr) === 4) return Buffer.from(addr.split('.').map(Number));
  return undefined;
}

/** IPAuthenticationProvider.matches, IPv4 with an optional /bits mask. */
function ipMatches(pattern: string, address: string): boolean {
  const p = ipPattern(pattern);
  const a = ipBytes(address.replace(/^::ffff:/, ''));
  if (!p || !a || a.length !== p.bytes.length) return false;
  for (let bit = 0; bit < p.bits; bit++) {
    const mask = 0x80 >> (bit % 8);
    if ((p.bytes[bit >> 3]! & mask) !== (a[bit >> 3]! & mask)) return false;
  }
  return true;
}
