"""confluent-kafka against a kts cluster, for failover tests.

`produce <bootstrap> <topic> <count>`: an idempotent acks=all producer sends m-0..m-<count-1>, paced so
the run spans the failures the test makes, and prints each acknowledged value as one line (flushed),
then `done` (or `failed <error>` lines for records librdkafka gave up on).
`consume <bootstrap> <topic> <count>`: reads every partition from the start until <count> records or
20 s of silence; prints the values as a JSON list.
"""
import json
import sys
import time

from confluent_kafka import Consumer, KafkaError, Producer, TopicPartition

command, bootstrap, topic, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])

if command == 'produce':
    producer = Producer({
        'bootstrap.servers': bootstrap,
        'enable.idempotence': True,
        'acks': 'all',
        'linger.ms': 2,
        'message.timeout.ms': 120000,
        'retry.backoff.ms': 100,
        'topic.metadata.refresh.interval.ms': 1000,
    })

    def delivered(err, msg):
        if err is None:
            sys.stdout.write(msg.value().decode() + '\n')
        else:
            sys.stdout.write('failed %s %s\n' % (msg.value().decode(), err))
        sys.stdout.flush()

    for i in range(count):
        producer.produce(topic, value=('m-%d' % i).encode(), on_delivery=delivered)
        producer.poll(0)
        time.sleep(0.004)
    remaining = producer.flush(150)
    print('done' if remaining == 0 else 'undelivered %d' % remaining, flush=True)
elif command == 'consume':
    consumer = Consumer({'bootstrap.servers': bootstrap, 'group.id': 'verifier', 'enable.auto.commit': False,
                         'auto.offset.reset': 'earliest'})
    metadata = consumer.list_topics(topic, timeout=20)
    partitions = sorted(metadata.topics[topic].partitions)
    consumer.assign([TopicPartition(topic, p, 0) for p in partitions])
    got = []
    quiet_since = time.time()
    while len(got) < count and time.time() - quiet_since < 20:
        for m in consumer.consume(1000, 0.5):
            if m.error():
                if m.error().code() == KafkaError._PARTITION_EOF:
                    continue
                sys.exit(str(m.error()))
            got.append(m.value().decode())
            quiet_since = time.time()
    consumer.close()
    print(json.dumps(got))
else:
    sys.exit('unknown command ' + command)
