"""A consumer that runs for a while: `kafka-python|confluent <bootstrap> <topic> <count>`, the
library's own security settings as JSON on stdin. Reads `count` records of partition 0 from the
beginning, however long they take to arrive (at most 60 s), and prints JSON {"values": [...]};
a failure prints {"error": "<type>: <message>"} and exits 1."""
import json
import sys
import time

library, bootstrap, topic, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
settings = json.load(sys.stdin)
DEADLINE = time.time() + 60


def kafka_python():
    from kafka import KafkaConsumer, TopicPartition
    consumer = KafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False, **settings)
    consumer.assign([TopicPartition(topic, 0)])
    consumer.seek_to_beginning()
    got = []
    while len(got) < count and time.time() < DEADLINE:
        for records in consumer.poll(timeout_ms=200).values():
            got.extend(r.value.decode() for r in records)
    consumer.close()
    return got


def confluent():
    from confluent_kafka import Consumer, TopicPartition
    consumer = Consumer({'bootstrap.servers': bootstrap, 'group.id': 'unused', 'enable.auto.commit': False, **settings})
    consumer.assign([TopicPartition(topic, 0, 0)])
    got = []
    while len(got) < count and time.time() < DEADLINE:
        m = consumer.poll(0.2)
        if m is not None and not m.error():
            got.append(m.value().decode())
    consumer.close()
    return got


try:
    print(json.dumps({'values': kafka_python() if library == 'kafka-python' else confluent()}))
except Exception as e:  # noqa: BLE001 - the test reads the error line
    print(json.dumps({'error': f'{type(e).__name__}: {e}'}))
    sys.exit(1)
