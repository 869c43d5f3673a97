import type { Acl } from '../tree/znode.js';
import type { JuteReader } from './reader.js';
import type { JuteWriter } from './writer.js';

export function readAcl(r: JuteReader): Acl {
  return { perms: r.int32(), scheme: r.ustring(), id: r.ustring() };
}

export function writeAcl(w: JuteWriter, acl: Acl): void {
  w.int32(acl.perms);
  w.ustring(acl.scheme);
  w.ustring(acl.id);
}

export interface ConnectRequest {
  protocolVersion: number;
  lastZxidSeen: number;
  timeOut: number;
  sessionId: bigint;
  passwd: Buffer;
  /** undefined when an old client left the trailing byte out (then the reply leaves it out too). */
  readOnly: boolean | undefined;
}

export function readConnectRequest(r: JuteReader): ConnectRequest {
  return {
    protocolVersion: r.int32(),
    lastZxidSeen: r.long(),
    timeOut: r.int32(),
    sessionId: r.int64(),
    passwd: r.buffer(),
    readOnly: r.remaining > 0 ? r.bool() : undefined,
  };
}

export interface CreateRequest {
  path: string;
  data: Buffer;
  acl: Acl[];
  flags: number;
  /** Only createTTL carries it. */
  ttl: number;
}

export function readCreateRequest(r: JuteReader, withTtl: boolean): CreateRequest {
  return {
    path: r.ustring(),
    data: r.buffer(),
    acl: r.vector(readAcl),
    flags: r.int32(),
    ttl: withTtl ? r.long() : -1,
  };
}

/** `path + int` requests: delete, check (version), getChildren/getData/exists (bool as 0/1 byte). */
export interface PathVersion {
  path: string;
  version: number;
}

export function readPathVersion(r: JuteReader): PathVersion {
  return { path: r.ustring(), version: r.int32() };
}

export interface PathWatch {
  path: string;
  watch: boolean;
}

export function readPathWatch(r: JuteReader): PathWatch {
  return { path: r.ustring(), watch: r.bool() };
}

export interface SetDataRequest {
  path: string;
  data: Buffer;
  version: number;
}

export function readSetDataRequest(r: JuteReader): SetDataRequest {
  return { path: r.ustring(), data: r.buffer(), version: r.int32() };
}

export interface SetAclRequest {
  path: string;
  acl: Acl[];
  version: number;
}

export function readSetAclRequest(r: JuteReader): SetAclRequest {
  return { path: r.ustring(), acl: r.vector(readAcl), version: r.int32() };
}

/** SetWatches (101) and SetWatches2 (105, adds the persistent lists). */
export interface SetWatches {
  relativeZxid: number;
  data: string[];
  exist: string[];
  child: string[];
  persistent: string[];
  persistentRecursive: string[];
}

export function readSetWatches(r: JuteReader, v2: boolean): SetWatches {
  const read = (x: JuteReader): string => x.ustring();
  return {
    relativeZxid: r.long(),
    data: r.vector(read),
    exist: r.vector(read),
    child: r.vector(read),
    persistent: v2 ? r.vector(read) : [],
    persistentRecursive: v2 ? r.vector(read) : [],
  };
}

export interface AuthPacket {
  type: number;
  scheme: string;
  auth: Buffer;
}

export function readAuthPacket(r: JuteReader): AuthPacket {
  return { type: r.int32(), scheme: r.ustring(), auth: r.buffer() };
}
