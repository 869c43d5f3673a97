import { ApiKey } from '../protocol/generated/api-info.js';
import { commonVersion } from './api-versions.js';
import type { BrokerAddress } from './bootstrap.js';
import type { BrokerConnections } from './broker-connections.js';
import type { ClusterMetadata } from './cluster-metadata.js';

export interface MetadataUpdaterHooks {
  /** Opens a connection to `address` (and runs the client's loop again when it is up). */
  connect(address: BrokerAddress): void;
  /** A Metadata request finished: `updated` when its response was applied. */
  finished(updated: boolean): void;
  /** The broker speaks no Metadata version kts does: the client cannot go on. */
  unsupported(message: string): void;
}

/**
 * Keeps a ClusterMetadata fresh for a client loop (the producer's sender, the consumer's
 * fetcher): one Metadata request at a time over the least busy connection, or a connection to a
 * known broker or bootstrap server (round robin) when none is open.
 */
export class MetadataUpdater {
  private inFlight = false;
  private nextCandidate = 0;

  constructor(
    private readonly metadata: ClusterMetadata,
    private readonly connections: BrokerConnections,
    private readonly bootstrap: readonly BrokerAddress[],
    private readonly hooks: MetadataUpdaterHooks,
  ) {}

  /** Sends a Metadata request when one is due; returns how long until the next is due (Infinity: a request is out). */
  maybeUpdate(now: number): number {
    const { metadata, connections } = this;
    const wait = metadata.timeToUpdate(now);
    if (this.inFlight) return Infinity;
    if (wait > 0) return wait;
    const conn = connections.any();
    if (conn === undefined) {
      const candidates = [...metadata.knownBrokers(), ...this.bootstrap];
      const address = candidates[this.nextCandidate++ % candidates.length]!;
      if (connections.canConnect(address, now)) this.hooks.connect(address);
      return Math.max(1, connections.backoffLeft(address, now));
    }
    const version = commonVersion(conn.versions!, ApiKey.Metadata);
    if (version === undefined) {
      this.hooks.unsupported('the broker does not support a Metadata version kts speaks');
      return Infinity;
    }
    this.inFlight = true;
    conn.request(ApiKey.Metadata, version, metadata.request(now)).then(
      (response) => {
        this.inFlight = false;
        metadata.update(response, Date.now());
        this.hooks.finished(true);
      },
      () => {
        this.inFlight = false;
        this.hooks.finished(false);
      },
    );
    return Infinity;
  }
}
