"""confluent-kafka throughput for bench/transactions.mjs (lives below bench/lib/ so `npm run bench` does not run it).

`<bootstrap> <topic> <count> <size> idempotent|transactional <per-transaction>`: sends <count> records of
<size> bytes (acks=all, idempotent); transactional sends <per-transaction> records per transaction and
commits each. Prints {"records": n, "seconds": s} once everything is acknowledged / committed.
"""
import json
import os
import sys
import time

from confluent_kafka import Producer

bootstrap, topic, count, size, mode, per_txn = sys.argv[1:7]
count, size, per_txn = int(count), int(size), int(per_txn)
config = {'bootstrap.servers': bootstrap, 'enable.idempotence': True, 'linger.ms': int(os.environ.get('LINGER_MS', '5')), 'acks': 'all'}
if mode == 'transactional':
    config['transactional.id'] = 'bench-%d' % os.getpid()
producer = Producer(config)
payload = os.urandom(size)
if mode == 'transactional':
    producer.init_transactions(30)
start = time.perf_counter()
if mode == 'transactional':
    for first in range(0, count, per_txn):
        producer.begin_transaction()
        for _ in range(min(per_txn, count - first)):
            while True:
                try:
                    producer.produce(topic, payload)
                    break
                except BufferError:
                    producer.poll(0.01)
        producer.commit_transaction(60)
else:
    for _ in range(count):
        while True:
            try:
                producer.produce(topic, payload)
                break
            except BufferError:
                producer.poll(0.01)
    if producer.flush(120) != 0:
        sys.exit('records left undelivered')
print(json.dumps({'records': count, 'seconds': time.perf_counter() - start}))
