import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker, type StartedBroker } from '../../../src/broker/index.js';
import { runKts } from '../../helpers/kts.js';
import { startScriptedCluster, type ScriptedCluster } from '../consumer/scripted-cluster.js';

describe('features describe', () => {
  let broker: StartedBroker;
  let scripted: ScriptedCluster;
  let scriptedNoEpoch: ScriptedCluster;
  const bootstrap = (c: ScriptedCluster) => `127.0.0.1:${c.ports[0]}`;

  beforeAll(async () => {
    broker = await startBroker();
    const supportedFeatures = [
      { name: 'metadata.version', minVersion: 1, maxVersion: 21 },
      { name: 'kraft.version', minVersion: 0, maxVersion: 1 },
      { name: 'group.version', minVersion: 0, maxVersion: 1 },
    ];
    const refuse = async () => undefined;
    // The embedded broker advertises no features (yet): these scripted brokers do.
    scripted = await startScriptedCluster(1, refuse, [], {
      supportedFeatures,
      finalizedFeaturesEpoch: 5n,
      finalizedFeatures: [
        { name: 'metadata.version', minVersionLevel: 1, maxVersionLevel: 21 },
        { name: 'kraft.version', minVersionLevel: 1, maxVersionLevel: 1 },
      ],
    });
    scriptedNoEpoch = await startScriptedCluster(1, refuse, [], {
      supportedFeatures: [{ name: 'metadata.version', minVersion: 7, maxVersion: 30 }],
    });
  });

  afterAll(async () => {
    await broker?.stop();
    await scripted?.close();
    await scriptedNoEpoch?.close();
  });

  it("prints Kafka's line per supported feature, sorted, with metadata.version levels by release", async () => {
    const r = await runKts(['features', '--bootstrap-server', bootstrap(scripted), 'describe']);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toBe(
      [
        'Feature: group.version\tSupportedMinVersion: 0\tSupportedMaxVersion: 1\tFinalizedVersionLevel: 0\tEpoch: 5',
        'Feature: kraft.version\tSupportedMinVersion: 0\tSupportedMaxVersion: 1\tFinalizedVersionLevel: 1\tEpoch: 5',
        'Feature: metadata.version\tSupportedMinVersion: 3.0-IV1\tSupportedMaxVersion: 3.9-IV0\tFinalizedVersionLevel: 3.9-IV0\tEpoch: 5',
        '',
      ].join('\n'),
    );
    expect((await runKts(['features', '--describe', '--bootstrap-server', bootstrap(scripted)])).stdout).toBe(r.stdout);
  });

  it('without a finalized epoch the epoch is "-", unknown levels are UNKNOWN; --output json', async () => {
    const r = await runKts(['features', 'describe', '--bootstrap-server', bootstrap(scriptedNoEpoch)]);
    expect(r.stdout).toBe(
      'Feature: metadata.version\tSupportedMinVersion: 3.3-IV3\tSupportedMaxVersion: UNKNOWN 30\tFinalizedVersionLevel: UNKNOWN 0\tEpoch: -\n',
    );
    const json = await runKts(['features', 'describe', '--bootstrap-server', bootstrap(scriptedNoEpoch), '--output', 'json']);
    expect(JSON.parse(json.stdout)).toEqual([
      {
        feature: 'metadata.version',
        supportedMinVersion: '3.3-IV3',
        supportedMaxVersion: 'UNKNOWN 30',
        finalizedVersionLevel: 'UNKNOWN 0',
        epoch: '-',
      },
    ]);
  });

  it('the embedded broker has no features to list; other subcommands are refused in one line', async () => {
    expect(await runKts(['features', 'describe', '--bootstrap-server', broker.bootstrapServers])).toMatchObject({
      code: 0,
      stdout: '',
      stderr: '',
    });
    expect(await runKts(['features', 'upgrade', '--bootstrap-server', broker.bootstrapServers])).toMatchObject({
      code: 2,
      stderr: 'Error: kts features does not implement upgrade (only describe)\n',
    });
    expect((await runKts(['features', '--bootstrap-server', broker.bootstrapServers])).code).toBe(2);
  });
});
