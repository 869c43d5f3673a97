"""kafka-python's group consumer: consumes until `count` records arrived, commits, leaves.

argv: bootstrap group topic count. Prints one JSON line: {"values": [...]} in consumption order.
"""
import json
import sys

from kafka import KafkaConsumer

bootstrap, group, topic, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
consumer = KafkaConsumer(
    topic,
    bootstrap_servers=bootstrap,
    group_id=group,
    auto_offset_reset='earliest',
    enable_auto_commit=False,
    session_timeout_ms=6000,
    heartbeat_interval_ms=500,
    consumer_timeout_ms=20000,
)
values = []
for record in consumer:
    values.append(record.value.decode())
    if len(values) >= count:
        break
consumer.commit()
consumer.close()
print(json.dumps({'values': values}))
