"""kafka-python against a kts cluster, for failover tests.

`produce <bootstrap> <topic> <count>`: an acks=all producer with retries sends m-0..m-<count-1>, paced, and
prints each acknowledged value (flushed), then `done`.
`consume <bootstrap> <topic> <count>`: reads every partition from the start to its end offset at the time
(at least <count> records; a retried batch may be there twice), or until 20 s of silence; prints the values
as a JSON list.
"""
import json
import sys
import time

from kafka import KafkaConsumer, KafkaProducer, TopicPartition

command, bootstrap, topic, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])

if command == 'produce':
    producer = KafkaProducer(bootstrap_servers=bootstrap.split(','), acks='all', retries=2147483647,
                             max_in_flight_requests_per_connection=1, retry_backoff_ms=100,
                             request_timeout_ms=10000, metadata_max_age_ms=1000)

    def acked(value):
        def on_success(_):
            sys.stdout.write(value + '\n')
            sys.stdout.flush()
        return on_success

    for i in range(count):
        value = 'm-%d' % i
        producer.send(topic, value=value.encode()).add_callback(acked(value))
        time.sleep(0.004)
    producer.flush(timeout=120)
    print('done', flush=True)
elif command == 'consume':
    consumer = KafkaConsumer(bootstrap_servers=bootstrap.split(','), enable_auto_commit=False, consumer_timeout_ms=20000)
    partitions = sorted(consumer.partitions_for_topic(topic) or [0])
    assigned = [TopicPartition(topic, p) for p in partitions]
    consumer.assign(assigned)
    consumer.seek_to_beginning(*assigned)
    ends = consumer.end_offsets(assigned)
    got = []
    for m in consumer:
        got.append(m.value.decode())
        if len(got) >= count and all(consumer.position(tp) >= ends[tp] for tp in assigned):
            break
    consumer.close()
    print(json.dumps(got))
else:
    sys.exit('unknown command ' + command)
