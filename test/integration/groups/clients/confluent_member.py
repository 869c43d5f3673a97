"""A librdkafka (confluent-kafka) group member that reports its assignment as JSON lines.

argv: bootstrap group topic strategy [options], options a comma list of:
  commit-on-revoke  commit what was consumed, synchronously, before giving partitions up
  latest            auto.offset.reset=latest (default earliest)
  instance=<id>     join as a static member with this group.instance.id
Prints {"event":"assignment","partitions":[...]} after every change, {"event":"message",...} per record.
SIGTERM closes the consumer (LeaveGroup) and exits; SIGKILL is a crash.
"""
import json
import signal
import sys

from confluent_kafka import Consumer

bootstrap, group, topic, strategy = sys.argv[1:5]
options = sys.argv[5].split(',') if len(sys.argv) > 5 else []
commit_on_revoke = 'commit-on-revoke' in options
instance = next((o.split('=', 1)[1] for o in options if o.startswith('instance=')), None)
running = True


def emit(obj):
    sys.stdout.write(json.dumps(obj) + '\n')
    sys.stdout.flush()


def stop(*_):
    global running
    running = False


signal.signal(signal.SIGTERM, stop)

consumer = Consumer({
    'bootstrap.servers': bootstrap,
    'group.id': group,
    'client.id': 'librdkafka-member',
    'partition.assignment.strategy': strategy,
    'session.timeout.ms': 6000,
    'heartbeat.interval.ms': 500,
    'auto.offset.reset': 'latest' if 'latest' in options else 'earliest',
    'enable.auto.commit': False,
    'topic.metadata.refresh.interval.ms': 1000,
    **({'group.instance.id': instance} if instance else {}),
})
current = set()
cooperative = strategy == 'cooperative-sticky'


def on_assign(c, partitions):
    current.update(p.partition for p in partitions)
    if cooperative:
        c.incremental_assign(partitions)
    else:
        c.assign(partitions)
    emit({'event': 'assignment', 'partitions': sorted(current)})


def on_revoke(c, partitions):
    if commit_on_revoke:
        try:
            c.commit(asynchronous=False)
        except Exception as e:  # nothing consumed yet
            emit({'event': 'commit-skipped', 'reason': str(e)})
    current.difference_update(p.partition for p in partitions)
    if cooperative:
        c.incremental_unassign(partitions)
    else:
        c.unassign()
    emit({'event': 'assignment', 'partitions': sorted(current)})


consumer.subscribe([topic], on_assign=on_assign, on_revoke=on_revoke, on_lost=on_revoke)
emit({'event': 'started'})
while running:
    msg = consumer.poll(0.2)
    if msg is None:
        continue
    if msg.error():
        emit({'event': 'error', 'error': str(msg.error())})
        continue
    emit({'event': 'message', 'partition': msg.partition(), 'offset': msg.offset(), 'value': msg.value().decode()})
consumer.close()
emit({'event': 'closed'})
