import type { Acl } from '../protocol/acl.js';
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

/** The Stat record as a client reads it (numChildren and dataLength included). */
export interface Stat {
  czxid: number;
  mzxid: number;
  ctime: number;
  mtime: number;
  version: number;
  cversion: number;
  aversion: number;
  /** The owning session of an ephemeral node, 0n for any other. */
  ephemeralOwner: bigint;
  dataLength: number;
  numChildren: number;
  pzxid: number;
}

export function readStat(r: JuteReader): Stat {
  return {
    czxid: r.long(),
    mzxid: r.long(),
    ctime: r.long(),
    mtime: r.long(),
    version: r.int32(),
    cversion: r.int32(),
    aversion: r.int32(),
    ephemeralOwner: r.int64(),
    dataLength: r.int32(),
    numChildren: r.int32(),
    pzxid: r.long(),
  };
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

export function writeConnectRequest(w: JuteWriter, req: ConnectRequest): void {
  w.int32(req.protocolVersion);
  w.long(req.lastZxidSeen);
  w.int32(req.timeOut);
  w.long(req.sessionId);
  w.buffer(req.passwd);
  if (req.readOnly !== undefined) w.bool(req.readOnly);
}

/** The server's answer to a ConnectRequest; `timeOut` 0 means the session has expired. */
export interface ConnectResponse {
  protocolVersion: number;
  timeOut: number;
  sessionId: bigint;
  passwd: Buffer;
}

export function readConnectResponse(r: JuteReader): ConnectResponse {
  return { protocolVersion: r.int32(), timeOut: r.int32(), sessionId: r.int64(), passwd: r.buffer() };
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

/**
 * A CreateRequest (create, create2, createContainer; not createTTL) as a client writes it: null data
 * stays null on the wire, as Java clients send it.
 */
export type OutgoingCreateRequest = Omit<CreateRequest, 'data' | 'acl' | 'ttl'> & { data: Buffer | null; acl: readonly Acl[] };

export function writeCreateRequest(w: JuteWriter, req: OutgoingCreateRequest): void {
  w.ustring(req.path);
  w.buffer(req.data);
  w.vector(req.acl, writeAcl);
  w.int32(req.flags);
}

/** `path + int` requests: delete, check (version), getChildren/getData/exists (bool as 0/1 byte). */
export interface PathVersion {
  path: string;
  version: number;
}

export function readPathVersion(r: JuteReader): PathVersion {
  return { path: r.ustring(), version: r.int32() };
}

export function writePathVersion(w: JuteWriter, req: PathVersion): void {
  w.ustring(req.path);
  w.int32(req.version);
}

export interface PathWatch {
  path: string;
  watch: boolean;
}

export function readPathWatch(r: JuteReader): PathWatch {
  return { path: r.ustring(), watch: r.bool() };
}

export function writePathWatch(w: JuteWriter, req: PathWatch): void {
  w.ustring(req.path);
  w.bool(req.watch);
}

export interface SetDataRequest {
  path: string;
  data: Buffer;
  version: number;
}

export function readSetDataRequest(r: JuteReader): SetDataRequest {
  return { path: r.ustring(), data: r.buffer(), version: r.int32() };
}

export function writeSetDataRequest(w: JuteWriter, req: SetDataRequest): void {
  w.ustring(req.path);
  w.buffer(req.data);
  w.int32(req.version);
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

/** SetWatches (101), what a client sends after a reconnect: the persistent lists are not part of it. */
export function writeSetWatches(w: JuteWriter, sw: Omit<SetWatches, 'persistent' | 'persistentRecursive'>): void {
  const write = (x: JuteWriter, path: string): void => x.ustring(path);
  w.long(sw.relativeZxid);
  w.vector(sw.data, write);
  w.vector(sw.exist, write);
  w.vector(sw.child, write);
}

export interface AuthPacket {
  type: number;
  scheme: string;
  auth: Buffer;
}

export function readAuthPacket(r: JuteReader): AuthPacket {
  return { type: r.int32(), scheme: r.ustring(), auth: r.buffer() };
}

/** The header before each op of a multi request or result; `done` ends the list. */
export interface MultiHeader {
  type: number;
  done: boolean;
  err: number;
}

export function readMultiHeader(r: JuteReader): MultiHeader {
  return { type: r.int32(), done: r.bool(), err: r.int32() };
}

export function writeMultiHeader(w: JuteWriter, type: number, done: boolean, err: number): void {
  w.int32(type);
  w.bool(done);
  w.int32(err);
}
