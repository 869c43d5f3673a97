/**
 * kts's layers, checked by `npm run lint` (scripts/check-layers.mjs runs dependency-cruiser with this file).
 * Imports point downwards only; a module may skip layers:
 *
 *   cli → tools → client → protocol → util; tools → the ZooKeeper client (zookeeper/client, jute, protocol)
 *   cli → broker → client, protocol, util, and the ZooKeeper client (zookeeper/client, jute, protocol)
 *   cli → zookeeper (the server) → util, and Kafka's byte primitives and checksums (protocol/primitives, crc)
 *   src/index.ts (the library's entry) → anything but cli
 *
 * The broker may use `client`: inter-broker connections reuse kts's client connection layer, as Kafka's
 * broker uses its clients module. It may use the ZooKeeper *client* for ZooKeeper-mode clusters, never the
 * ZooKeeper server's parts. Type-only imports count: a lower layer must not even name a higher one's types.
 * docs/ARCHITECTURE.md describes the layers.
 */

/** A rule that lets modules under `layer` import only from `allowed` (and from npm packages / Node). */
function onlyDownwards(name, layer, allowed, comment) {
  return {
    name,
    comment,
    severity: 'error',
    from: { path: `^src/${layer}` },
    to: { path: '^src/', pathNot: `^src/(${allowed.join('|')})` },
  };
}

module.exports = {
  forbidden: [
    onlyDownwards('util-imports-nothing', 'util/', ['util/'], 'src/util is the bottom layer: it imports no other kts layer.'),
    onlyDownwards('protocol-above-util-only', 'protocol/', ['protocol/', 'util/'], 'The Kafka protocol layer imports only util.'),
    onlyDownwards(
      'client-above-protocol-only',
      'client/',
      ['client/', 'protocol/', 'util/'],
      'The client layer imports only protocol and util: errors the CLI maps to exit codes live in src/util/errors.ts.',
    ),
    onlyDownwards(
      'tools-above-client-only',
      'tools/',
      ['tools/', 'client/', 'protocol/', 'util/', 'zookeeper/(client|jute|protocol)/'],
      'Tools import client, protocol, util and the ZooKeeper client (zookeeper-shell), never the CLI (which maps their errors to exit codes) nor the servers.',
    ),
    onlyDownwards(
      'broker-uses-no-cli-tools-or-zookeeper-server',
      'broker/',
      ['broker/', 'client/', 'protocol/', 'util/', 'zookeeper/(client|jute|protocol)/'],
      'The broker imports client (inter-broker connections), protocol, util and the ZooKeeper client, never cli, tools or the ZooKeeper server.',
    ),
    onlyDownwards(
      'zookeeper-server-above-util-only',
      'zookeeper/',
      ['zookeeper/', 'util/', 'protocol/primitives/', 'protocol/records/crc\\.ts$'],
      "The ZooKeeper server imports its own folders, util, and Kafka's byte reader/writer and CRC-32C (shared, not copied).",
    ),
    {
      name: 'zookeeper-client-side-not-server',
      comment: 'The ZooKeeper client, jute and protocol codes (which the broker may use) never reach into the ZooKeeper server.',
      severity: 'error',
      from: { path: '^src/zookeeper/(client|jute|protocol)/' },
      to: { path: '^src/zookeeper/', pathNot: '^src/zookeeper/(client|jute|protocol)/' },
    },
    {
      name: 'library-entry-not-cli',
      comment: "src/index.ts is the library's API: it never loads the CLI.",
      severity: 'error',
      from: { path: '^src/index\\.ts$' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'known-layer',
      comment: 'Every module lives in one of the layers above (a new top-level folder must be given its place here).',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/((cli|tools|client|broker|zookeeper|protocol|util)/|index\\.ts$)' },
      to: {},
    },
    {
      name: 'no-cycle',
      comment: 'Modules import each other in one direction only.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
