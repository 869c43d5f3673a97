import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawKafkaConnection } from '../../../src/client/raw-connection.js';
import { startBroker, type StartedBroker } from '../../../src/broker/index.js';
import { ApiKey } from '../../../src/protocol/generated/api-info.js';
import { defaultMetadataRequest } from '../../../src/protocol/generated/apis/metadata.js';
import { brokerForTest } from '../../helpers/broker.js';
import { freePort } from '../../helpers/free-port.js';

/** `listeners` is where the broker binds; `advertised.listeners` is what Metadata tells clients. */
describe('listeners and advertised.listeners', () => {
  let broker: StartedBroker;
  let externalPort: number;
  let internalPort: number;

  beforeAll(async () => {
    [externalPort, internalPort] = [await freePort(), await freePort()];
    broker = await startBroker({
      config: {
        listeners: `PLAINTEXT://127.0.0.1:${externalPort},INTERNAL://127.0.0.1:${internalPort}`,
        'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,INTERNAL:PLAINTEXT',
        'advertised.listeners': 'PLAINTEXT://kafka.example.com:19092,INTERNAL://internal.example:29092',
      },
    });
  });

  afterAll(() => broker.stop());

  async function advertisedVia(port: number): Promise<string[]> {
    const conn = await RawKafkaConnection.open('127.0.0.1', port);
    try {
      const response = await conn.request(ApiKey.Metadata, 12, { ...defaultMetadataRequest(), topics: [] });
      return response.brokers.map((b) => `${b.host}:${b.port}`);
    } finally {
      conn.close();
    }
  }

  it('binds every listener and answers Metadata with the advertised address of the listener connected to', async () => {
    expect(await advertisedVia(externalPort)).toEqual(['kafka.example.com:19092']);
    expect(await advertisedVia(internalPort)).toEqual(['internal.example:29092']);
    expect(broker.bootstrapServers).toBe('kafka.example.com:19092');
  });
});

describe('a localhost listener', () => {
  it('accepts clients at 127.0.0.1 as well as at localhost', async () => {
    const port = await freePort();
    await brokerForTest({ config: { listeners: `PLAINTEXT://localhost:${port}` } });
    for (const host of ['127.0.0.1', 'localhost']) {
      const conn = await RawKafkaConnection.open(host, port);
      const response = await conn.request(ApiKey.Metadata, 12, { ...defaultMetadataRequest(), topics: [] });
      conn.close();
      expect(response.brokers.map((b) => `${b.host}:${b.port}`)).toEqual([`localhost:${port}`]);
    }
  });
});
