/** How a tool reaches a cluster: what its options and properties say. */
export interface ConnectOptions {
  /** The `--bootstrap-server` value; without it `bootstrap.servers` from the properties, then the env default. */
  bootstrapServer?: string;
  /** Client properties (from `--command-config` and friends). */
  properties?: ReadonlyMap<string, string>;
  /** Properties the calling tool handles itself, so they are not reported as unknown. */
  consumedKeys?: Iterable<string>;
  verbose?: boolean;
}
