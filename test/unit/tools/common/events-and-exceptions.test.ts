import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../../src/protocol/errors.js';
import { javaExceptionClass } from '../../../../src/tools/common/kafka-exceptions.js';
import { JsonDouble, eventJson } from '../../../../src/tools/verifiable/event-json.js';

describe('verifiable tools: events as Jackson writes them', () => {
  it('compact, in field order, doubles as Double.toString', () => {
    expect(
      eventJson({ timestamp: 1, name: 'tool_data', sent: 5, acked: 5, target_throughput: -1, avg_throughput: new JsonDouble(100) }),
    ).toBe('{"timestamp":1,"name":"tool_data","sent":5,"acked":5,"target_throughput":-1,"avg_throughput":100.0}');
    expect(
      eventJson({ key: null, value: 'a"b', partitions: [{ topic: 't', partition: 0 }], ok: true, rate: new JsonDouble(Number.NaN) }),
    ).toBe('{"key":null,"value":"a\\"b","partitions":[{"topic":"t","partition":0}],"ok":true,"rate":"NaN"}');
  });
});

describe('javaExceptionClass', () => {
  it("names the Java client's exception for an error code", () => {
    expect(javaExceptionClass(ErrorCode.NOT_ENOUGH_REPLICAS)).toBe('org.apache.kafka.common.errors.NotEnoughReplicasException');
    expect(javaExceptionClass(ErrorCode.MESSAGE_TOO_LARGE)).toBe('org.apache.kafka.common.errors.RecordTooLargeException');
    expect(javaExceptionClass(ErrorCode.TOPIC_AUTHORIZATION_FAILED)).toBe('org.apache.kafka.common.errors.TopicAuthorizationException');
    expect(javaExceptionClass(ErrorCode.NETWORK_EXCEPTION)).toBe('org.apache.kafka.common.errors.NetworkException');
    expect(javaExceptionClass(ErrorCode.UNKNOWN_SERVER_ERROR)).toBe('org.apache.kafka.common.errors.UnknownServerException');
    expect(javaExceptionClass(null, true)).toBe('org.apache.kafka.common.errors.TimeoutException');
    expect(javaExceptionClass(null)).toBe('org.apache.kafka.common.KafkaException');
  });
});
