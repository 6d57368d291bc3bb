#!/usr/bin/env python3
"""Drives a Python Kafka client against a broker for the integration tests.

usage: python_client.py {confluent|kafka-python} produce BOOTSTRAP TOPIC MESSAGES.json [ACKS] [CODEC] [idempotent]
       python_client.py {confluent|kafka-python} consume BOOTSTRAP TOPIC PARTITION OFFSET COUNT
       python_client.py {confluent|kafka-python} group-consume BOOTSTRAP TOPIC GROUP STRATEGY SESSION_MS
       python_client.py kafka-python commit BOOTSTRAP TOPIC GROUP PARTITION OFFSET METADATA
       python_client.py kafka-python admin-groups BOOTSTRAP GROUP

MESSAGES.json is a list of {"partition": int, "key": hex|null, "value": hex|null, "headers": [[name, hex|null]]}.
produce prints one JSON line per message: {"partition", "offset"} in input order. "idempotent" (confluent only:
kafka-python 2.0 has no idempotent producer) sets enable.idempotence=true.
consume prints one JSON line per message read, in the MESSAGES.json shape plus "offset".
consume uses explicit assignment: no group is joined and no offsets are committed.
group-consume joins GROUP (STRATEGY range or roundrobin) until stdin closes, then leaves it cleanly; it prints
one JSON line per change of its assignment, {"event": "assignment", "partitions": [...]} (the full set), and one
per message after committing it synchronously, {"event": "record", "partition", "offset", "value": hex}.
commit commits OFFSET with METADATA for one partition as a simple consumer (generation -1, no member id).
admin-groups prints KafkaAdminClient's list_consumer_groups, describe_consumer_groups and
list_consumer_group_offsets for GROUP as one JSON object.
Exit code 0 on success; 2 when a delivery failed or COUNT messages were not read within 30 s.
"""
import json
import sys
import time

TIMEOUT_S = 30
# A group member's hard stop: the test closes stdin long before this.
GROUP_TIMEOUT_S = 120


def unhex(s):
    return None if s is None else bytes.fromhex(s)


def tohex(b):
    return None if b is None else bytes(b).hex()


def confluent_produce(bootstrap, topic, messages, acks, codec, idempotent=False):
    from confluent_kafka import Producer
    producer = Producer({
        "bootstrap.servers": bootstrap, "acks": acks, "compression.type": codec,
        "linger.ms": 5, "message.timeout.ms": 20000, "broker.address.family": "v4",
        "enable.idempotence": idempotent,
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


def emit(obj):
    print(json.dumps(obj), flush=True)


def stdin_closed():
    """An event set when stdin reaches end of file: the parent's signal to leave the group and exit."""
    import threading
    closed = threading.Event()

    def wait():
        sys.stdin.read()
        closed.set()
    threading.Thread(target=wait, daemon=True).start()
    return closed


def confluent_group_consume(bootstrap, topic, group, strategy, session_ms):
    from confluent_kafka import Consumer
    consumer = Consumer({
        "bootstrap.servers": bootstrap, "group.id": group, "enable.auto.commit": False,
        "auto.offset.reset": "earliest", "partition.assignment.strategy": strategy,
        "session.timeout.ms": session_ms, "heartbeat.interval.ms": 100, "max.poll.interval.ms": 10000,
        "broker.address.family": "v4",
    })

    def on_assign(c, partitions):
        emit({"event": "assignment", "partitions": sorted(p.partition for p in partitions)})

    def on_revoke(c, partitions):
        emit({"event": "assignment", "partitions": []})

    consumer.subscribe([topic], on_assign=on_assign, on_revoke=on_revoke)
    stop = stdin_closed()
    deadline = time.monotonic() + GROUP_TIMEOUT_S
    while not stop.is_set():
        if time.monotonic() > deadline:
            print(f"still running after {GROUP_TIMEOUT_S} s", file=sys.stderr)
            return 3
        msg = consumer.poll(0.1)
        if msg is None:
            continue
        if msg.error():
            emit({"event": "error", "message": str(msg.error())})
            continue
        consumer.commit(message=msg, asynchronous=False)
        emit({"event": "record", "partition": msg.partition(), "offset": msg.offset(), "value": tohex(msg.value())})
    consumer.close()
    return 0


def kafka_python_group_consume(bootstrap, topic, group, strategy, session_ms):
    from kafka import KafkaConsumer, ConsumerRebalanceListener, OffsetAndMetadata
    from kafka.coordinator.assignors.range import RangePartitionAssignor
    from kafka.coordinator.assignors.roundrobin import RoundRobinPartitionAssignor

    class Listener(ConsumerRebalanceListener):
        def on_partitions_revoked(self, revoked):
            emit({"event": "assignment", "partitions": []})

        def on_partitions_assigned(self, assigned):
            emit({"event": "assignment", "partitions": sorted(tp.partition for tp in assigned)})

    assignor = RangePartitionAssignor if strategy == "range" else RoundRobinPartitionAssignor
    consumer = KafkaConsumer(bootstrap_servers=bootstrap, group_id=group, enable_auto_commit=False,
                             auto_offset_reset="earliest", partition_assignment_strategy=[assignor],
                             session_timeout_ms=session_ms, heartbeat_interval_ms=100, max_poll_interval_ms=10000)
    consumer.subscribe([topic], listener=Listener())
    stop = stdin_closed()
    deadline = time.monotonic() + GROUP_TIMEOUT_S
    while not stop.is_set():
        if time.monotonic() > deadline:
            print(f"still running after {GROUP_TIMEOUT_S} s", file=sys.stderr)
            return 3
        for tp, records in consumer.poll(timeout_ms=100).items():
            for msg in records:
                consumer.commit({tp: OffsetAndMetadata(msg.offset + 1, None)})
                emit({"event": "record", "partition": msg.partition, "offset": msg.offset, "value": tohex(msg.value)})
    consumer.close()
    return 0


def kafka_python_commit(bootstrap, topic, group, partition, offset, metadata):
    from kafka import KafkaConsumer, TopicPartition, OffsetAndMetadata
    consumer = KafkaConsumer(bootstrap_servers=bootstrap, group_id=group, enable_auto_commit=False)
    tp = TopicPartition(topic, partition)
    consumer.assign([tp])
    consumer.commit({tp: OffsetAndMetadata(offset, metadata)})
    emit({"committed": consumer.committed(tp)})
    consumer.close()
    return 0


def kafka_python_admin_groups(bootstrap, group):
    from kafka import KafkaAdminClient
    admin = KafkaAdminClient(bootstrap_servers=bootstrap)
    listed = admin.list_consumer_groups()
    described = admin.describe_consumer_groups([group])
    offsets = admin.list_consumer_group_offsets(group)
    admin.close()
    emit({
        "groups": [[g, t] for g, t in listed],
        "described": [{
            "group": d.group, "state": d.state, "protocol_type": d.protocol_type, "protocol": d.protocol,
            "members": [{"member_id": m.member_id, "client_id": m.client_id,
                         "partitions": sorted([t, p] for t, ps in m.member_assignment.assignment for p in ps)
                         if m.member_assignment else []} for m in d.members],
        } for d in described],
        "offsets": [[tp.topic, tp.partition, om.offset, om.metadata] for tp, om in offsets.items()],
    })
    return 0


def finish(read, count):
    for r in read[:count]:
        print(json.dumps(r))
    if len(read) < count:
        print(f"read {len(read)} of {count} messages in {TIMEOUT_S} s", file=sys.stderr)
        return 2
    return 0


def main(argv):
    library, command, bootstrap = argv[1:4]
    if command == "admin-groups":
        return kafka_python_admin_groups(bootstrap, argv[4])
    topic = argv[4]
    if command == "group-consume":
        group, strategy, session_ms = argv[5], argv[6], int(argv[7])
        consume = confluent_group_consume if library == "confluent" else kafka_python_group_consume
        return consume(bootstrap, topic, group, strategy, session_ms)
    if command == "commit":
        return kafka_python_commit(bootstrap, topic, argv[5], int(argv[6]), int(argv[7]), argv[8])
    if command == "produce":
        with open(argv[5]) as f:
            messages = json.load(f)
        acks = argv[6] if len(argv) > 6 else "all"
        codec = argv[7] if len(argv) > 7 else "none"
        if len(argv) > 8 and argv[8] == "idempotent":
            if library != "confluent":
                print("kafka-python has no idempotent producer", file=sys.stderr)
                return 2
            return confluent_produce(bootstrap, topic, messages, acks, codec, idempotent=True)
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
