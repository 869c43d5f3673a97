"""A client library over a secured listener: `kafka-python|confluent <bootstrap> <topic>`, the
library's own security settings as JSON on stdin. Produces three records, reads them back, prints
JSON {"values": [...]}; a failure prints {"error": "<type>: <message>"} and exits 1."""
import json
import sys

library, bootstrap, topic = sys.argv[1:4]
settings = json.load(sys.stdin)
VALUES = ['one', 'two', 'three']


def kafka_python():
    from kafka import KafkaConsumer, KafkaProducer, TopicPartition
    producer = KafkaProducer(bootstrap_servers=bootstrap, acks='all', **settings)
    for v in VALUES:
        producer.send(topic, value=v.encode(), partition=0).get(timeout=20)
    producer.close()
    consumer = KafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False, consumer_timeout_ms=5000, **settings)
    consumer.assign([TopicPartition(topic, 0)])
    consumer.seek_to_beginning()
    got = []
    for m in consumer:
        got.append(m.value.decode())
        if len(got) == len(VALUES):
            break
    consumer.close()
    return got


def confluent():
    import time
    from confluent_kafka import Consumer, KafkaError, Producer, TopicPartition
    errors = []
    common = {'bootstrap.servers': bootstrap, 'error_cb': errors.append, **settings}

    def refused():
        # librdkafka retries a refused login forever; the first such error ends the run.
        for e in errors:
            if e.code() in (KafkaError._AUTHENTICATION, KafkaError._SSL):
                raise RuntimeError(e.str())

    producer = Producer({**common, 'acks': 'all'})
    delivered = []
    for v in VALUES:
        producer.produce(topic, value=v.encode(), partition=0, on_delivery=lambda err, msg: delivered.append(err))
    deadline = time.time() + 20
    while len(delivered) < len(VALUES) and time.time() < deadline:
        producer.poll(0.1)
        refused()
    failed = [e for e in delivered if e is not None]
    if len(delivered) < len(VALUES) or failed:
        raise RuntimeError(f'not delivered: {failed or errors}')
    consumer = Consumer({**common, 'group.id': 'unused', 'enable.auto.commit': False})
    consumer.assign([TopicPartition(topic, 0, 0)])
    got = []
    for _ in range(100):
        m = consumer.poll(0.2)
        refused()
        if m is None or m.error():
            continue
        got.append(m.value().decode())
        if len(got) == len(VALUES):
            break
    consumer.close()
    return got


try:
    print(json.dumps({'values': kafka_python() if library == 'kafka-python' else confluent()}))
except Exception as e:  # noqa: BLE001 - the test reads the error line
    print(json.dumps({'error': f'{type(e).__name__}: {e}'}))
    sys.exit(1)
