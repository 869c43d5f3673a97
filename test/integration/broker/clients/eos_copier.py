"""confluent-kafka exactly-once runs against kts, for the transaction tests.

`seed <bootstrap> <topic> <count>`: an idempotent producer writes v-0..v-<count-1> round-robin.
`copy <bootstrap> <in> <out> <group> <transactional.id> <count> <abort-every>`: a read_committed
consumer and a transactional producer copy <in> to <out> (each value + "-copied"), consume-transform-
produce: every batch is one transaction with its offsets (send_offsets_to_transaction); every
<abort-every>-th transaction is aborted on purpose and its batch re-read from the last committed
offsets. Paced so that a test can kill it mid-run. Prints `committed <n>` after each commit and
`done` once the group's committed offsets cover <count> records.
`read <bootstrap> <topic> <count> [read_committed|read_uncommitted]`: every partition from the start
(read_committed by default), until <count> records or 15 s of silence; prints the values as a JSON list.
"""
import json
import sys
import time

from confluent_kafka import Consumer, KafkaError, KafkaException, Producer, TopicPartition

command, bootstrap = sys.argv[1], sys.argv[2]


def partitions_of(client, topic):
    metadata = client.list_topics(topic, timeout=30)
    return sorted(metadata.topics[topic].partitions)


if command == 'seed':
    topic, count = sys.argv[3], int(sys.argv[4])
    producer = Producer({'bootstrap.servers': bootstrap, 'enable.idempotence': True, 'linger.ms': 5})
    parts = partitions_of(producer, topic)
    for i in range(count):
        producer.produce(topic, value=('v-%d' % i).encode(), partition=parts[i % len(parts)])
    if producer.flush(60) != 0:
        sys.exit('seed: records undelivered')
    print('seeded', count, flush=True)
elif command == 'copy':
    source, sink, group, txn_id, count, abort_every = sys.argv[3:9]
    count, abort_every = int(count), int(abort_every)
    consumer = Consumer({
        'bootstrap.servers': bootstrap,
        'group.id': group,
        'enable.auto.commit': False,
        'auto.offset.reset': 'earliest',
        'isolation.level': 'read_committed',
        'session.timeout.ms': 6000,
    })
    producer = Producer({
        'bootstrap.servers': bootstrap,
        'transactional.id': txn_id,
        'transaction.timeout.ms': 10000,
        'linger.ms': 5,
        'topic.metadata.refresh.interval.ms': 1000,
    })
    producer.init_transactions(60)
    parts = partitions_of(consumer, source)
    sink_partitions = len(partitions_of(consumer, sink))
    consumer.assign([TopicPartition(source, p) for p in parts])

    def committed_offsets():
        # The group coordinator may be moving (a broker killed): asked again until it answers.
        while True:
            try:
                offsets = consumer.committed([TopicPartition(source, p) for p in parts], timeout=30)
                # A partition with an error (UNSTABLE_OFFSET_COMMIT while a transaction's offsets
                # await their marker) has no usable offset: asked again, never taken as "none".
                unsettled = [tp for tp in offsets if tp.error is not None]
                if not unsettled:
                    return offsets
                print('retrying committed()', unsettled[0].error, flush=True)
                time.sleep(0.2)
            except KafkaException as e:
                print('retrying committed()', e, flush=True)
                time.sleep(0.5)

    def rewind():
        for tp in committed_offsets():
            consumer.seek(TopicPartition(source, tp.partition, tp.offset if tp.offset >= 0 else 0))

    def committed_total():
        return sum(max(tp.offset, 0) for tp in committed_offsets())

    transactions = 0
    while committed_total() < count:
        batch = [m for m in consumer.consume(20, 1.0) if not m.error()]
        if not batch:
            continue
        transactions += 1
        try:
            producer.begin_transaction()
            for m in batch:
                producer.produce(sink, value=m.value() + b'-copied', partition=m.partition() % sink_partitions)
            if abort_every > 0 and transactions % abort_every == 0:
                # Written first, so the abort has data to abort (librdkafka would otherwise race the
                # previous transaction's completion, which Kafka answers with INVALID_TXN_STATE).
                producer.flush(60)
                producer.abort_transaction(60)
                rewind()
                print('aborted', flush=True)
                continue
            producer.send_offsets_to_transaction(consumer.position(consumer.assignment()), consumer.consumer_group_metadata(), 60)
            producer.commit_transaction(60)
            print('committed', committed_total(), flush=True)
        except KafkaException as e:
            # Anything but a fatal error (fenced, say): the transaction is aborted and its batch read again.
            error = e.args[0]
            if error.fatal():
                raise
            print('aborting after', error, flush=True)
            producer.abort_transaction(60)
            rewind()
        time.sleep(0.05)
    print('done', flush=True)
elif command == 'read':
    topic, count = sys.argv[3], int(sys.argv[4])
    isolation = sys.argv[5] if len(sys.argv) > 5 else 'read_committed'
    consumer = Consumer({'bootstrap.servers': bootstrap, 'group.id': 'eos-verifier', 'enable.auto.commit': False,
                         'auto.offset.reset': 'earliest', 'isolation.level': isolation})
    consumer.assign([TopicPartition(topic, p, 0) for p in partitions_of(consumer, topic)])
    got = []
    quiet_since = time.time()
    while len(got) < count and time.time() - quiet_since < 15:
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
