import { describe, expect, it } from 'vitest';
import {
  decodeAcls,
  decodeBrokerRegistration,
  decodeClusterId,
  decodeConfigChangeNotification,
  decodeController,
  decodeControllerEpoch,
  decodeEntityConfig,
  decodeFeatures,
  decodeIsrChangeNotification,
  decodeLogDirEvent,
  decodePartitionState,
  decodePreferredReplicaElection,
  decodeProducerIdBlock,
  decodeReassignment,
  decodeTopicAssignment,
  encodeAcls,
  encodeBrokerRegistration,
  encodeClusterId,
  encodeConfigChangeNotification,
  encodeController,
  encodeControllerEpoch,
  encodeEntityConfig,
  encodeExtendedAclChange,
  encodeFeatures,
  encodeIsrChangeNotification,
  encodeLiteralAclChange,
  encodeLogDirEvent,
  encodePartitionState,
  encodePreferredReplicaElection,
  encodeProducerIdBlock,
  encodeReassignment,
  encodeTopicAssignment,
  FeatureStatus,
  LeaderRecoveryState,
  PERSISTENT_PATHS,
  partitionStatePath,
  replicaAssignment,
  type BrokerRegistration,
  ZkDataError,
} from '../../../../src/broker/zk/zk-data.js';

const bytes = (text: string) => Buffer.from(text);
const parsed = (b: Buffer) => JSON.parse(b.toString());

describe('zk-data: Kafka’s znode JSON (reference §1 samples)', () => {
  it('reads and writes the broker registration, version 5', () => {
    const sample =
      '{"version":5,"host":"b1","port":9092,"jmx_port":-1,"timestamp":"1730000000000",' +
      '"endpoints":["PLAINTEXT://b1:9092","SSL://b1:9093"],' +
      '"listener_security_protocol_map":{"PLAINTEXT":"PLAINTEXT","SSL":"SSL"},' +
      '"rack":"rack-a","features":{"metadata.version":{"min_version":1,"max_version":21}}}';
    const broker = decodeBrokerRegistration(1, bytes(sample));
    expect(broker).toEqual({
      id: 1,
      endpoints: [
        { listenerName: 'PLAINTEXT', securityProtocol: 'PLAINTEXT', host: 'b1', port: 9092 },
        { listenerName: 'SSL', securityProtocol: 'SSL', host: 'b1', port: 9093 },
      ],
      rack: 'rack-a',
      jmxPort: -1,
      features: { 'metadata.version': { min_version: 1, max_version: 21 } },
      timestamp: '1730000000000',
    });
    // Written back with the same keys, types and values (key order is Jackson's, not guaranteed).
    expect(parsed(encodeBrokerRegistration(broker))).toEqual(JSON.parse(sample));
  });

  it('writes host/port from the first PLAINTEXT endpoint, null/-1 without one, no rack key without a rack', () => {
    const broker: BrokerRegistration = {
      id: 2,
      endpoints: [{ listenerName: 'INTERNAL', securityProtocol: 'SSL', host: '::1', port: 9094 }],
      rack: null,
      jmxPort: -1,
      features: {},
      timestamp: '1',
    };
    const json = parsed(encodeBrokerRegistration(broker));
    expect(json).toEqual({
      version: 5,
      host: null,
      port: -1,
      jmx_port: -1,
      timestamp: '1',
      endpoints: ['INTERNAL://[::1]:9094'],
      listener_security_protocol_map: { INTERNAL: 'SSL' },
      features: {},
    });
    expect(decodeBrokerRegistration(2, encodeBrokerRegistration(broker))).toEqual(broker);
  });

  it('reads old broker JSON: v1 host/port only, v2-3 endpoints named by protocol', () => {
    expect(decodeBrokerRegistration(3, bytes('{"version":1,"host":"h","port":9092,"jmx_port":-1}')).endpoints).toEqual([
      { listenerName: 'PLAINTEXT', securityProtocol: 'PLAINTEXT', host: 'h', port: 9092 },
    ]);
    const v3 = decodeBrokerRegistration(3, bytes('{"version":3,"host":"h","port":1,"endpoints":["SSL://h:2"],"rack":"r"}'));
    expect(v3.endpoints).toEqual([{ listenerName: 'SSL', securityProtocol: 'SSL', host: 'h', port: 2 }]);
    expect(v3.rack).toBe('r');
  });

  it('reads and writes a topic assignment, version 3, topic id only when present', () => {
    const sample =
      '{"version":3,"partitions":{"0":[1,2,3],"1":[2,3,1]},"adding_replicas":{},"removing_replicas":{},"topic_id":"q3v9KxJqT1uZ0yLr0m0fUQ"}';
    const assignment = decodeTopicAssignment('t', bytes(sample));
    expect(assignment.topicId).toBe('q3v9KxJqT1uZ0yLr0m0fUQ');
    expect([...assignment.partitions]).toEqual([
      [0, replicaAssignment([1, 2, 3])],
      [1, replicaAssignment([2, 3, 1])],
    ]);
    expect(parsed(encodeTopicAssignment(assignment))).toEqual(JSON.parse(sample));
    const withoutId = parsed(encodeTopicAssignment({ topicId: null, partitions: assignment.partitions }));
    expect('topic_id' in withoutId).toBe(false);
    const reassigning = decodeTopicAssignment(
      't',
      bytes('{"version":2,"partitions":{"0":[1,2,4]},"adding_replicas":{"0":[4]},"removing_replicas":{"0":[3]}}'),
    );
    expect(reassigning.partitions.get(0)).toEqual({ replicas: [1, 2, 4], addingReplicas: [4], removingReplicas: [3] });
    expect(parsed(encodeTopicAssignment(reassigning)).adding_replicas).toEqual({ 0: [4] });
  });

  it('reads and writes partition state; its znode version is the partition epoch; recovery state only while RECOVERING', () => {
    const sample = '{"controller_epoch":5,"leader":1,"version":1,"leader_epoch":3,"isr":[1,2,3]}';
    const state = decodePartitionState(bytes(sample), 7);
    expect(state).toEqual({
      controllerEpoch: 5,
      leaderAndIsr: { leader: 1, leaderEpoch: 3, isr: [1, 2, 3], leaderRecoveryState: LeaderRecoveryState.RECOVERED, partitionEpoch: 7 },
    });
    expect(encodePartitionState(state).toString()).toBe(sample);
    const recovering = { ...state, leaderAndIsr: { ...state.leaderAndIsr, leaderRecoveryState: LeaderRecoveryState.RECOVERING } };
    expect(parsed(encodePartitionState(recovering)).leader_recovery_state).toBe(1);
    expect(decodePartitionState(encodePartitionState(recovering), 7)).toEqual(recovering);
    expect(partitionStatePath('t', 3)).toBe('/brokers/topics/t/partitions/3/state');
  });

  it('writes /controller as Kafka (timestamp a string), /controller_epoch as plain text', () => {
    expect(encodeController(1, 1730000000000).toString()).toBe(
      '{"version":2,"brokerid":1,"timestamp":"1730000000000","kraftControllerEpoch":-1}',
    );
    expect(decodeController(bytes('{"version":1,"brokerid":4,"timestamp":"1"}'))).toBe(4);
    expect(encodeControllerEpoch(5).toString()).toBe('5');
    expect(decodeControllerEpoch(bytes('5'))).toBe(5);
    expect(() => decodeControllerEpoch(bytes('{"epoch":5}'))).toThrow(ZkDataError);
  });

  it('writes /cluster/id with a string version', () => {
    expect(encodeClusterId('7SVZKWcNSo2jV0Kk2bYF4A').toString()).toBe('{"version":"1","id":"7SVZKWcNSo2jV0Kk2bYF4A"}');
    expect(decodeClusterId(bytes('{"version":"1","id":"7SVZKWcNSo2jV0Kk2bYF4A"}'))).toBe('7SVZKWcNSo2jV0Kk2bYF4A');
  });

  it('writes entity configs with string values; reads v1 and v2 change notifications', () => {
    expect(encodeEntityConfig({ 'retention.ms': '86400000' }).toString()).toBe('{"version":1,"config":{"retention.ms":"86400000"}}');
    expect(decodeEntityConfig(bytes('{"version":1,"config":{"retention.ms":"86400000"}}'))).toEqual({ 'retention.ms': '86400000' });
    expect(decodeEntityConfig(null)).toEqual({});
    expect(() => decodeEntityConfig(bytes('{"version":1,"config":{"retention.ms":86400000}}'))).toThrow(/should be a string/);
    expect(encodeConfigChangeNotification('topics/my-topic').toString()).toBe('{"version":2,"entity_path":"topics/my-topic"}');
    expect(decodeConfigChangeNotification(bytes('{"version":2,"entity_path":"users/alice/clients/app1"}'))).toBe(
      'users/alice/clients/app1',
    );
    expect(decodeConfigChangeNotification(bytes('{"version":1,"entity_type":"topics","entity_name":"t"}'))).toBe('topics/t');
  });

  it('writes producer id blocks with string bounds', () => {
    const sample = '{"version":1,"broker":2,"block_start":"1000","block_end":"1999"}';
    expect(decodeProducerIdBlock(bytes(sample))).toEqual({ brokerId: 2, start: 1000n, end: 1999n });
    expect(encodeProducerIdBlock({ brokerId: 2, start: 1000n, end: 1999n }).toString()).toBe(sample);
  });

  it('writes /feature version 2 and reads its finalized levels', () => {
    const sample = '{"features":{"metadata.version":{"max_version_level":21}},"version":2,"status":1}';
    expect(decodeFeatures(bytes(sample))).toEqual({ status: FeatureStatus.ENABLED, features: { 'metadata.version': 21 } });
    expect(encodeFeatures({ status: FeatureStatus.ENABLED, features: { 'metadata.version': 21 } }).toString()).toBe(sample);
  });

  it('round-trips the controller notifications and the legacy admin znodes', () => {
    const partitions = [{ topic: 't', partition: 0 }];
    expect(encodeIsrChangeNotification(partitions).toString()).toBe('{"version":1,"partitions":[{"topic":"t","partition":0}]}');
    expect(decodeIsrChangeNotification(encodeIsrChangeNotification(partitions))).toEqual(partitions);
    expect(encodeLogDirEvent(3).toString()).toBe('{"version":1,"broker":3,"event":1}');
    expect(decodeLogDirEvent(encodeLogDirEvent(3))).toBe(3);
    const reassignment = [{ topic: 't', partition: 0, replicas: [4, 5, 6] }];
    expect(encodeReassignment(reassignment).toString()).toBe('{"version":1,"partitions":[{"topic":"t","partition":0,"replicas":[4,5,6]}]}');
    expect(decodeReassignment(encodeReassignment(reassignment))).toEqual(reassignment);
    expect(decodePreferredReplicaElection(encodePreferredReplicaElection(partitions))).toEqual(partitions);
  });

  it('writes the ZooKeeper authorizer’s ACL znodes', () => {
    const acls = [{ principal: 'User:alice', permissionType: 'Allow', operation: 'Read', host: '*' }];
    const sample = '{"version":1,"acls":[{"principal":"User:alice","permissionType":"Allow","operation":"Read","host":"*"}]}';
    expect(encodeAcls(acls).toString()).toBe(sample);
    expect(decodeAcls(bytes(sample))).toEqual(acls);
    expect(encodeLiteralAclChange('Topic', 'my-topic').toString()).toBe('Topic:my-topic');
    expect(parsed(encodeExtendedAclChange('Topic', 'pay.', 'PREFIXED'))).toEqual({
      version: 1,
      resourceType: 'Topic',
      name: 'pay.',
      patternType: 'PREFIXED',
    });
  });

  it('lists Kafka’s persistent paths', () => {
    expect(PERSISTENT_PATHS).toEqual([
      '/consumers',
      '/brokers/ids',
      '/brokers/topics',
      '/config/changes',
      '/admin/delete_topics',
      '/brokers/seqid',
      '/isr_change_notification',
      '/latest_producer_id_block',
      '/log_dir_event_notification',
      '/config/topics',
      '/config/clients',
      '/config/users',
      '/config/brokers',
      '/config/ips',
    ]);
  });

  it('refuses what Kafka would not have written, naming the field', () => {
    expect(() => decodePartitionState(bytes('{"leader":"1","leader_epoch":0,"isr":[],"controller_epoch":1}'), 0)).toThrow(
      /"leader" should be an integer/,
    );
    expect(() => decodeTopicAssignment('t', bytes('not json'))).toThrow(ZkDataError);
    expect(() => decodeBrokerRegistration(1, null)).toThrow(/empty/);
    expect(() => decodeBrokerRegistration(1, bytes('{"version":5,"endpoints":["nonsense"]}'))).toThrow(/cannot parse endpoint/);
  });
});
