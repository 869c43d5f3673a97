import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../src/protocol/errors.js';
import { ApiKey } from '../../src/protocol/generated/api-info.js';
import { defaultListOffsetsRequestListOffsetsPartition } from '../../src/protocol/generated/apis/list-offsets.js';
import { waitUntil } from '../helpers/wait.js';
import { fetchAll, produce } from '../integration/broker/helpers.js';
import { makeCertificates, type TestCertificates } from '../helpers/certificates.js';
import { needs } from '../helpers/requirements.js';
import { TestCluster } from './harness.js';

const BROKER_PASSWORD = 'broker-secret-9';
const SESSION_MS = 1500;

describe('a cluster whose brokers talk to each other over SASL_SSL', needs('openssl'), () => {
  let cluster: TestCluster;
  let certs: TestCertificates;

  beforeAll(async () => {
    certs = makeCertificates();
    cluster = await TestCluster.start({
      brokers: 3,
      extraListeners: 'INTERNAL://127.0.0.1:0',
      config: {
        'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,INTERNAL:SASL_SSL',
        'inter.broker.listener.name': 'INTERNAL',
        'sasl.mechanism.inter.broker.protocol': 'PLAIN',
        'listener.name.internal.sasl.enabled.mechanisms': 'PLAIN',
        'listener.name.internal.plain.sasl.jaas.config': `org.apache.kafka.common.security.plain.PlainLoginModule required username="broker" password="${BROKER_PASSWORD}" user_broker="${BROKER_PASSWORD}";`,
        'ssl.keystore.location': certs.brokerPem,
        'ssl.keystore.type': 'PEM',
        'ssl.truststore.location': certs.caCert,
        'ssl.truststore.type': 'PEM',
        // ACLs: the brokers' principal may do anything; this test's PLAINTEXT client (ANONYMOUS) anything no ACL names.
        'authorizer.class.name': 'kafka.security.authorizer.AclAuthorizer',
        'super.users': 'User:broker',
        'allow.everyone.if.no.acl.found': 'true',
        // KIP-368 on the inter-broker listener: links must log in again every 1.5 s session.
        'listener.name.internal.connections.max.reauth.ms': String(SESSION_MS),
      },
    });
  }, 60_000);

  afterAll(async () => {
    await cluster?.stop();
    certs?.remove();
  });

  it('replicates, and the controller reaches every broker, through the authenticated listener', async () => {
    await cluster.createTopic('secured', 1, 3, { 'min.insync.replicas': '3' });
    const { leaderId } = await cluster.waitForPartition('secured', 0, 'all three replicas in sync', (p) => p.isrNodes.length === 3);
    // Followers fetch over SASL_SSL: with min.insync.replicas=3 the acks=all write succeeds only once all three have it.
    const conn = await cluster.connect(leaderId);
    try {
      const answer = await produce(conn, 'secured', 0, { records: [{ value: Buffer.from('replicated') }] }, -1);
      expect(answer.errorCode).toBe(ErrorCode.NONE);
      expect((await fetchAll(conn, 'secured', 0)).map((r) => r.value!.toString())).toEqual(['replicated']);
    } finally {
      conn.close();
    }
    expect(cluster.output).not.toContain('Failed authentication');
    expect(cluster.output).not.toContain(BROKER_PASSWORD);
  }, 60_000);

  it('inter-broker links log in again before their sessions end (KIP-368): acks=all writes go on across several sessions', async () => {
    await cluster.createTopic('reauth', 1, 3, { 'min.insync.replicas': '3' });
    const { leaderId } = await cluster.waitForPartition('reauth', 0, 'all three replicas in sync', (p) => p.isrNodes.length === 3);
    const conn = await cluster.connect(leaderId);
    try {
      const until = Date.now() + 3 * SESSION_MS + 500;
      for (let i = 0; Date.now() < until; i++) {
        const answer = await produce(conn, 'reauth', 0, { records: [{ value: Buffer.from(`r${i}`) }] }, -1);
        expect(answer.errorCode).toBe(ErrorCode.NONE);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    } finally {
      conn.close();
    }
    // A follower's fetch after an unrenewed session would have closed its link, logging why.
    expect(cluster.output).not.toContain('SASL session expired');
  }, 60_000);

  it('a transaction over partitions led by every broker commits: verification and markers travel the authenticated listener', async () => {
    await cluster.createTopic('secured-txn', 3, 2);
    const metadata = await cluster.metadata(['secured-txn']);
    expect(new Set(metadata.topics[0]!.partitions.map((p) => p.leaderId))).toEqual(new Set([1, 2, 3]));
    const kafka = new Kafka({ brokers: cluster.bootstrapServers.split(','), logLevel: logLevel.NOTHING, retry: { retries: 5 } });
    const producer = kafka.producer({ transactionalId: 'secured-tx', idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    try {
      const txn = await producer.transaction();
      await txn.send({ topic: 'secured-txn', messages: [0, 1, 2].map((partition) => ({ partition, value: `v${partition}` })) });
      await txn.commit();
    } finally {
      await producer.disconnect();
    }
    // Each partition's leader wrote the COMMIT marker after the record: its last stable offset passes both.
    const conn = await cluster.connect(1);
    try {
      await waitUntil(
        async () => {
          const stable = await Promise.all(
            metadata.topics[0]!.partitions.map(async (p) => {
              const leader = p.leaderId === 1 ? conn : await cluster.connect(p.leaderId);
              try {
                const r = await leader.request(ApiKey.ListOffsets, 7, {
                  replicaId: -1,
                  isolationLevel: 1,
                  topics: [
                    {
                      name: 'secured-txn',
                      partitions: [
                        { ...defaultListOffsetsRequestListOffsetsPartition(), partitionIndex: p.partitionIndex, timestamp: -1n },
                      ],
                    },
                  ],
                });
                return r.topics[0]!.partitions[0]!.offset;
              } finally {
                if (leader !== conn) leader.close();
              }
            }),
          );
          return stable.every((offset) => offset === 2n);
        },
        'the COMMIT marker on every partition',
        30_000,
      );
    } finally {
      conn.close();
    }
    expect(cluster.output).not.toContain('Failed authentication');
  }, 60_000);

  it('an ACL created through one broker is enforced by every broker (ZooKeeper /kafka-acl and its change notifications)', async () => {
    await cluster.createTopic('guarded', 3, 1);
    const leaders = await Promise.all(
      [0, 1, 2].map(async (p) => (await cluster.waitForPartition('guarded', p, 'a leader', (x) => x.leaderId >= 0)).leaderId),
    );
    const first = await cluster.connect(1);
    try {
      const created = await first.request(ApiKey.CreateAcls, 3, {
        creations: [
          {
            resourceType: 2,
            resourceName: 'guarded',
            resourcePatternType: 3,
            principal: 'User:ANONYMOUS',
            host: '*',
            operation: 4,
            permissionType: 2,
          },
        ],
      });
      expect(created.results[0]!.errorCode).toBe(ErrorCode.NONE);
    } finally {
      first.close();
    }
    for (const [partition, leader] of leaders.entries()) {
      const conn = await cluster.connect(leader);
      try {
        await waitUntil(
          async () =>
            (await produce(conn, 'guarded', partition, { records: [{ value: Buffer.from('x') }] }, 1)).errorCode ===
            ErrorCode.TOPIC_AUTHORIZATION_FAILED,
          `broker ${leader} refusing writes to guarded-${partition}`,
          20_000,
        );
      } finally {
        conn.close();
      }
    }
  }, 60_000);
  // The last test: it leaves ANONYMOUS, this test's only principal, without ALTER on the cluster (so without ACL changes).
  it('reassignments and elections need ALTER (ListPartitionReassignments DESCRIBE) on the cluster, refused before the controller is asked', async () => {
    const { controllerId } = await cluster.metadata();
    const conn = await cluster.connect(controllerId);
    const onCluster = { resourceType: 4, resourceName: 'kafka-cluster', principal: 'User:ANONYMOUS', host: '*' };
    const addAcls = async (...acls: [operation: number, permissionType: number][]) => {
      const creations = acls.map(([operation, permissionType]) => ({ ...onCluster, resourcePatternType: 3, operation, permissionType }));
      const created = await conn.request(ApiKey.CreateAcls, 3, { creations });
      expect(created.results.map((r) => r.errorCode)).toEqual(acls.map(() => ErrorCode.NONE));
    };
    const list = () => conn.request(ApiKey.ListPartitionReassignments, 0, { timeoutMs: 5000, topics: null });
    const alter = () =>
      conn.request(ApiKey.AlterPartitionReassignments, 0, {
        timeoutMs: 5000,
        topics: [{ name: 'moved', partitions: [{ partitionIndex: 0, replicas: [1, 2] }] }],
      });
    const elect = () =>
      conn.request(ApiKey.ElectLeaders, 2, { electionType: 0, topicPartitions: [{ topic: 'moved', partitions: [0] }], timeoutMs: 5000 });
    const denied = ErrorCode.CLUSTER_AUTHORIZATION_FAILED;
    const ALTER = 7;
    const DESCRIBE = 8;
    const [DENY, ALLOW] = [2, 3];
    try {
      // No ACL on the cluster yet: anyone may (allow.everyone.if.no.acl.found).
      expect((await list()).errorCode).toBe(ErrorCode.NONE);
      // ALTER without DESCRIBE: the controller is asked to move and elect ('moved' does not exist), listing is refused.
      await addAcls([ALTER, ALLOW], [DESCRIBE, DENY]);
      await waitUntil(async () => (await list()).errorCode === denied, 'DESCRIBE denied on the cluster', 20_000);
      const moved = await alter();
      expect(moved.errorCode).toBe(ErrorCode.NONE);
      expect(moved.responses[0]!.partitions[0]!.errorCode).not.toBe(denied);
      expect(JSON.stringify(await elect())).not.toContain(`"errorCode":${denied}`);
      // DESCRIBE (implied by the ALLOW of ALTER) but ALTER denied: listing only.
      const removed = await conn.request(ApiKey.DeleteAcls, 3, {
        filters: [
          {
            resourceTypeFilter: onCluster.resourceType,
            resourceNameFilter: onCluster.resourceName,
            patternTypeFilter: 3,
            principalFilter: onCluster.principal,
            hostFilter: '*',
            operation: DESCRIBE,
            permissionType: DENY,
          },
        ],
      });
      expect(removed.filterResults[0]!.matchingAcls).toHaveLength(1);
      await addAcls([ALTER, DENY]);
      await waitUntil(async () => (await alter()).errorCode === denied, 'ALTER denied on the cluster', 20_000);
      expect((await list()).errorCode).toBe(ErrorCode.NONE);
      expect((await alter()).responses).toEqual([
        { name: 'moved', partitions: [{ partitionIndex: 0, errorCode: denied, errorMessage: 'Cluster authorization failed.' }] },
      ]);
      const elected = await elect();
      expect(elected.errorCode).toBe(denied);
      expect(elected.replicaElectionResults).toEqual([
        { topic: 'moved', partitionResult: [{ partitionId: 0, errorCode: denied, errorMessage: null }] },
      ]);
    } finally {
      conn.close();
    }
  }, 60_000);
});
