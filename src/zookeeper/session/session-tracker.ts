import { randomBytes, timingSafeEqual } from 'node:crypto';

/** A live session: its negotiated timeout, password, deadline and the connection serving it. */
export interface Session<C> {
  id: bigint;
  timeout: number;
  passwd: Buffer;
  deadline: number;
  connection: C | undefined;
}

/**
 * SessionTrackerImpl: sessions expire when nothing arrives for their timeout. Checked every 100 ms;
 * expiry itself is the server's closeSession txn, so the tracker only says who is due.
 */
export class SessionTracker<C> {
  private readonly sessions = new Map<bigint, Session<C>>();
  private nextId: bigint;

  constructor() {
    // ZooKeeper's standalone scheme (server id 0): the clock in the upper bits keeps ids unique across restarts.
    this.nextId = (BigInt(Date.now()) << 24n) & 0x00ffffffffffffffn;
  }

  get size(): number {
    return this.sessions.size;
  }

  get(id: bigint): Session<C> | undefined {
    return this.sessions.get(id);
  }

  /** A session restored from disk, or one just created; its clock starts now. */
  add(id: bigint, timeout: number, passwd: Buffer, connection?: C): Session<C> {
    if (id >= this.nextId) this.nextId = id + 1n;
    const session: Session<C> = { id, timeout, passwd, deadline: Date.now() + timeout, connection };
    this.sessions.set(id, session);
    return session;
  }

  newIdentity(): { id: bigint; passwd: Buffer } {
    return { id: this.nextId++, passwd: randomBytes(16) };
  }

  /** The session `id` if `passwd` proves the caller owns it. */
  authenticate(id: bigint, passwd: Buffer): Session<C> | undefined {
    const s = this.sessions.get(id);
    return s && s.passwd.length === passwd.length && timingSafeEqual(s.passwd, passwd) ? s : undefined;
  }

  touch(session: Session<C>): void {
    session.deadline = Date.now() + session.timeout;
  }

  remove(id: bigint): Session<C> | undefined {
    const s = this.sessions.get(id);
    this.sessions.delete(id);
    return s;
  }

  /** Sessions whose deadline has passed. */
  expired(now = Date.now()): Session<C>[] {
    return [...this.sessions.values()].filter((s) => s.deadline <= now);
  }
}
