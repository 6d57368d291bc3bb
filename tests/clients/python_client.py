#!/usr/bin/env python3
"""Drives a Python Kafka client against a broker for the integration tests.

usage: python_client.py {confluent|kafka-python} produce BOOTSTRAP TOPIC MESSAGES.json [ACKS] [CODEC]
       python_client.py {confluent|kafka-python} consume BOOTSTRAP TOPIC PARTITION OFFSET COUNT

MESSAGES.json is a list of {"partition": int, "key": hex|null, "value": hex|null, "headers": [[name, hex|null]]}.
produce prints one JSON line per message: {"partition", "offset"} in input order.
consume prints one JSON line per message read, in the MESSAGES.json shape plus "offset".
Consumers use explicit assignment: no group is joined and no offsets are committed.
Exit code 0 on success; 2 when a delivery failed or COUNT messages were not read within 30 s.
"""
import json
import sys
import time

TIMEOUT_S = 30


def unhex(s):
    return None if s is None else bytes.fromhex(s)


def tohex(b):
    return None if b is None else bytes(b).hex()


def confluent_produce(bootstrap, topic, messages, acks, codec):
    from confluent_kafka import Producer
    producer = Producer({
        "bootstrap.servers": bootstrap, "acks": acks, "compression.type": codec,
        "linger.ms": 5, "message.timeout.ms": 20000, "broker.address.family": "v4",
    })
    results = [None] * len(messages)
    errors = []

    def report(index):
        def on_delivery(err, msg):
            if err is not None:
                errors.append(str(err))
            else:
                results[index] = {"partition": msg.partition(), "offset": msg.offset()}
        return on_delivery

    for i, m in enumerate(messages):
        headers = [(name, unhex(value)) for name, value in m["headers"]]
        producer.produce(topic, value=unhex(m["value"]), key=unhex(m["key"]), partition=m["partition"],
                         headers=headers or None, on_delivery=report(i))
        producer.poll(0)
    remaining = producer.flush(TIMEOUT_S)
    if remaining or errors:
        print(f"undelivered {remaining}, errors {errors[:5]}", file=sys.stderr)
        return 2
    for r in results:
        print(json.dumps(r))
    return 0


def confluent_consume(bootstrap, topic, partition, offset, count):
    from confluent_kafka import Consumer, TopicPartition
    consumer = Consumer({
        "bootstrap.servers": bootstrap, "group.id": "kafkasharp-assign-only", "enable.auto.commit": False,
        "auto.offset.reset": "error", "broker.address.family": "v4",
    })
    consumer.assign([TopicPartition(topic, partition, offset)])
    read = []
    deadline = time.monotonic() + TIMEOUT_S
    while len(read) < count and time.monotonic() < deadline:
        msg = consumer.poll(0.5)
        if msg is None:
            continue
        if msg.error():
            print(f"consume error {msg.error()}", file=sys.stderr)
            return 2
        read.append({"partition": msg.partition(), "offset": msg.offset(), "key": tohex(msg.key()),
                     "value": tohex(msg.value()),
                     "headers": [[k, tohex(v)] for k, v in (msg.headers() or [])]})
    consumer.close()
    return finish(read, count)


def kafka_python_produce(bootstrap, topic, messages, acks, codec):
    from kafka import KafkaProducer
    producer = KafkaProducer(bootstrap_servers=bootstrap, acks=acks if acks == "all" else int(acks),
                             compression_type=None if codec == "none" else codec, linger_ms=5)
    futures = []
    for m in messages:
        headers = [(name, unhex(value)) for name, value in m["headers"]]
        futures.append(producer.send(topic, value=unhex(m["value"]), key=unhex(m["key"]),
                                     partition=m["partition"], headers=headers))
    producer.flush(TIMEOUT_S)
    out = []
    for f in futures:
        meta = f.get(timeout=TIMEOUT_S)
        out.append({"partition": meta.partition, "offset": meta.offset})
    producer.close(TIMEOUT_S)
    for r in out:
        print(json.dumps(r))
    return 0


def kafka_python_consume(bootstrap, topic, partition, offset, count):
    from kafka import KafkaConsumer, TopicPartition
    consumer = KafkaConsumer(bootstrap_servers=bootstrap, group_id=None, enable_auto_commit=False,
                             consumer_timeout_ms=TIMEOUT_S * 1000)
    tp = TopicPartition(topic, partition)
    consumer.assign([tp])
    consumer.seek(tp, offset)
    read = []
    deadline = time.monotonic() + TIMEOUT_S
    while len(read) < count and time.monotonic() < deadline:
        for records in consumer.poll(timeout_ms=500).values():
            for msg in records:
                read.append({"partition": msg.partition, "offset": msg.offset, "key": tohex(msg.key),
                             "value": tohex(msg.value), "headers": [[k, tohex(v)] for k, v in msg.headers]})
    consumer.close()
    return finish(read, count)


def finish(read, count):
    for r in read[:count]:
        print(json.dumps(r))
    if len(read) < count:
        print(f"read {len(read)} of {count} messages in {TIMEOUT_S} s", file=sys.stderr)
        return 2
    return 0


def main(argv):
    library, command, bootstrap, topic = argv[1:5]
    if command == "produce":
        with open(argv[5]) as f:
            messages = json.load(f)
        acks = argv[6] if len(argv) > 6 else "all"
        codec = argv[7] if len(argv) > 7 else "none"
        produce = confluent_produce if library == "confluent" else kafka_python_produce
        return produce(bootstrap, topic, messages, acks, codec)
    if command == "consume":
        partition, offset, count = (int(a) for a in argv[5:8])
        consume = confluent_consume if library == "confluent" else kafka_python_consume
        return consume(bootstrap, topic, partition, offset, count)
    print(__doc__, file=sys.stderr)
    return 64


if __name__ == "__main__":
    sys.exit(main(sys.argv))
