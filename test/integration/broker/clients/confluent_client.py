"""confluent-kafka (librdkafka) against the kts broker: `produce|consume|offsets|alter <bootstrap> <topic>`, JSON on stdin and stdout."""
import json
import sys

from confluent_kafka import Consumer, Producer, TopicPartition
from confluent_kafka.admin import AdminClient, ConfigResource

command, bootstrap, topic = sys.argv[1:4]
spec = json.load(sys.stdin)
partitions = spec.get('partitions', [0])

if command == 'produce':
    failures = []
    # Everything waits for flush() (which sends at once), so each partition gets one batch: librdkafka
    # sends a small batch its codec does not shrink uncompressed, and the test checks stored codecs.
    producer = Producer({'bootstrap.servers': bootstrap, 'compression.type': spec['codec'], 'enable.idempotence': True, 'linger.ms': 10000})
    for m in spec['messages']:
        headers = [(name, bytes.fromhex(value)) for name, value in m['h']]
        producer.produce(topic, key=bytes.fromhex(m['k']), value=bytes.fromhex(m['v']), headers=headers, partition=m['p'],
                         on_delivery=lambda err, _: err and failures.append(str(err)))
        producer.poll(0)
    if producer.flush(20) != 0 or failures:
        sys.exit('not delivered: %s' % failures[:3])
elif command == 'consume':
    consumer = Consumer({'bootstrap.servers': bootstrap, 'group.id': 'unused', 'enable.auto.commit': False})
    consumer.assign([TopicPartition(topic, p, 0) for p in partitions])
    got = []
    for _ in range(500):
        for m in consumer.consume(1000, 0.2):
            if m.error():
                sys.exit(str(m.error()))
            got.append([m.partition(), m.offset(), m.key().hex(), m.value().hex(), [[k, v.hex()] for k, v in m.headers() or []]])
        if len(got) >= spec['count']:
            break
    consumer.close()
    print(json.dumps(got))
elif command == 'offsets':
    consumer = Consumer({'bootstrap.servers': bootstrap, 'group.id': 'unused'})
    marks = [consumer.get_watermark_offsets(TopicPartition(topic, p), timeout=10) for p in partitions]
    consumer.close()
    print(json.dumps({'start': [m[0] for m in marks], 'end': [m[1] for m in marks]}))
elif command == 'alter':
    admin = AdminClient({'bootstrap.servers': bootstrap})
    futures = admin.alter_configs([ConfigResource('topic', topic, set_config=spec['configs'])])
    for future in futures.values():
        future.result(timeout=10)
else:
    sys.exit('unknown command ' + command)
