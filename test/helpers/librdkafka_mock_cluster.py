"""librdkafka's mock cluster (test.mock.num.brokers) in a process of its own, for tests that need a
broker kts's does not replace yet (transactions). Prints the bootstrap address, runs until stdin closes."""
import logging
import sys

import confluent_kafka

found = []


class Capture(logging.Handler):
    def emit(self, record):
        message = record.getMessage()
        if 'replaced with' in message:
            found.append(message.rsplit(' ', 1)[1])


log = logging.getLogger('mock-cluster')
log.addHandler(Capture())
log.setLevel(logging.INFO)
brokers = int(sys.argv[1]) if len(sys.argv) > 1 else 1
client = confluent_kafka.Producer({'bootstrap.servers': 'unused', 'test.mock.num.brokers': brokers}, logger=log)
while not found:
    client.poll(0.05)
print(found[0], flush=True)
sys.stdin.read()
