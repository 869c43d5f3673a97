"""kafka-python against the kts broker: `produce|consume|offsets|alter <bootstrap> <topic>`, JSON on stdin and stdout."""
import json
import sys

from kafka import KafkaConsumer, KafkaProducer, TopicPartition
from kafka.admin import ConfigResource, ConfigResourceType, KafkaAdminClient

command, bootstrap, topic = sys.argv[1:4]
spec = json.load(sys.stdin)
partitions = [TopicPartition(topic, p) for p in spec.get('partitions', [0])]


def record(m):
    return [m.partition, m.offset, m.key.hex(), m.value.hex(), [[k, v.hex()] for k, v in m.headers]]


if command == 'produce':
    codec = None if spec['codec'] == 'none' else spec['codec']
    producer = KafkaProducer(bootstrap_servers=bootstrap, compression_type=codec, acks='all', linger_ms=5)
    for m in spec['messages']:
        headers = [(name, bytes.fromhex(value)) for name, value in m['h']]
        producer.send(topic, key=bytes.fromhex(m['k']), value=bytes.fromhex(m['v']), headers=headers, partition=m['p'])
    producer.flush(timeout=20)
    producer.close()
elif command == 'consume':
    consumer = KafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False, consumer_timeout_ms=5000)
    consumer.assign(partitions)
    consumer.seek_to_beginning()
    got = []
    for m in consumer:
        got.append(record(m))
        if len(got) == spec['count']:
            break
    consumer.close()
    print(json.dumps(got))
elif command == 'offsets':
    consumer = KafkaConsumer(bootstrap_servers=bootstrap)
    start, end = consumer.beginning_offsets(partitions), consumer.end_offsets(partitions)
    consumer.close()
    print(json.dumps({'start': [start[tp] for tp in partitions], 'end': [end[tp] for tp in partitions]}))
elif command == 'alter':
    admin = KafkaAdminClient(bootstrap_servers=bootstrap)
    response = admin.alter_configs([ConfigResource(ConfigResourceType.TOPIC, topic, configs=spec['configs'])])
    admin.close()
    errors = [r[0] for r in response.resources if r[0] != 0]
    if errors:
        sys.exit('alter_configs failed: %s' % errors)
else:
    sys.exit('unknown command ' + command)
