import type { ServerAddress } from './connect-string.js';

/** How long to wait once every server was tried without a session (StaticHostProvider's spinDelay). */
export const SPIN_DELAY_MS = 1000;

/**
 * StaticHostProvider: the ensemble in a random order (so clients spread over the servers), walked
 * round-robin; coming back to the server of the last session after a full round without one waits
 * SPIN_DELAY_MS first, so a dead ensemble is not hammered.
 */
export class HostList {
  private readonly servers: ServerAddress[];
  private current = -1;
  private lastConnected = -1;

  constructor(servers: readonly ServerAddress[], random: () => number = Math.random) {
    this.servers = [...servers];
    for (let i = this.servers.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [this.servers[i], this.servers[j]] = [this.servers[j]!, this.servers[i]!];
    }
  }

  get size(): number {
    return this.servers.length;
  }

  /** The next server to try and how long to wait before trying it. */
  next(): { server: ServerAddress; delayMs: number } {
    this.current = (this.current + 1) % this.servers.length;
    const delayMs = this.current === this.lastConnected ? SPIN_DELAY_MS : 0;
    // The very first round starts from index 0 without waiting, as ZooKeeper's does.
    if (this.lastConnected === -1) this.lastConnected = 0;
    return { server: this.servers[this.current]!, delayMs };
  }

  /** A session was established on the server last returned by next(). */
  connected(): void {
    this.lastConnected = this.current;
  }
}
