#!/usr/bin/python3
"""One interop-suite step through a Python Kafka client: confluent-kafka-python or kafka-python.

usage: python_driver.py {confluent|kafka-python}

Reads JSON lines on stdin. The first line is the request: {"step": ..., "bootstrap": ..., ...step arguments}.
Every step but group_member prints one JSON line and exits:
  {"ok": {...}} | {"error": "message", "code": kafka_error_code_or_null} | {"unsupported": "why"}
group_member stays in its group and prints events as JSON lines ({"event": "assigned", "partitions": [...]},
{"event": "record", ...}, {"event": "closed"}) until stdin says {"command": "leave"} or closes.
Bytes travel as lowercase hex; headers are [[name, hex|null], ...]. See interop/README.md for every step.
"""
import json
import select
import sys
import time


def unhex(s):
    return None if s is None else bytes.fromhex(s)


def tohex(b):
    return None if b is None else bytes(b).hex()


def emit(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


class Unsupported(Exception):
    pass


class StepError(Exception):
    def __init__(self, message, code=None):
        super().__init__(message)
        self.code = code


def stdin_command(timeout_s):
    """The next JSON command on stdin, {"command": "leave"} at end of input, or None when none arrived in time."""
    ready, _, _ = select.select([sys.stdin], [], [], timeout_s)
    if not ready:
        return None
    line = sys.stdin.readline()
    return json.loads(line) if line.strip() else {"command": "leave"}


# ----------------------------------------------------------------------------------------------- confluent
class Confluent:
    name = "confluent-kafka-python"

    def __init__(self, req):
        import confluent_kafka
        import confluent_kafka.admin  # noqa: F401 (a submodule, not imported by the package)
        self.ck = confluent_kafka
        self.bootstrap = req["bootstrap"]

    def conf(self, **extra):
        c = {"bootstrap.servers": self.bootstrap, "broker.address.family": "v4", "client.id": "interop-confluent-python"}
        c.update(extra)
        return c

    def admin(self):
        # Kept on self: a future outlives nothing if its AdminClient is collected (_DESTROY).
        if not hasattr(self, "_admin"):
            self._admin = self.ck.admin.AdminClient(self.conf())
        return self._admin

    @staticmethod
    def check(err):
        if err is not None:
            raise StepError(str(err), err.code() if err.code() >= 0 else None)

    def future(self, f, timeout=30):
        try:
            return f.result(timeout)
        except self.ck.KafkaException as e:
            err = e.args[0]
            raise StepError(str(err), err.code() if err.code() >= 0 else None)

    def metadata(self, req):
        md = self.admin().list_topics(timeout=20)
        return {"brokers": [{"id": b.id, "host": b.host, "port": b.port} for b in md.brokers.values()],
                "controller": md.controller_id, "cluster_id": md.cluster_id,
                "topics": [{"name": t.topic, "partitions": [{"partition": p.id, "leader": p.leader, "replicas": list(p.replicas)}
                                                             for p in t.partitions.values()]}
                           for t in md.topics.values() if t.topic in req.get("topics", [t.topic])]}

    def create_topic(self, req):
        nt = self.ck.admin.NewTopic(req["topic"], req["partitions"], 1, config=req.get("configs", {}))
        self.future(self.admin().create_topics([nt], operation_timeout=20)[req["topic"]])
        return {}

    def delete_topic(self, req):
        self.future(self.admin().delete_topics([req["topic"]], operation_timeout=20)[req["topic"]])
        return {}

    def describe_configs(self, req):
        res = self.ck.admin.ConfigResource(self.ck.admin.ConfigResource.Type.TOPIC, req["topic"])
        entries = self.future(self.admin().describe_configs([res])[res])
        return {"configs": {k: v.value for k, v in entries.items()}}

    def delete_records(self, req):
        raise Unsupported("confluent-kafka-python 1.7.0 has no delete_records (added in 2.4)")

    def produce(self, req):
        codec = req.get("codec", "none")
        p = self.ck.Producer(self.conf(**{"acks": "all", "compression.type": codec, "linger.ms": 5,
                                          "message.timeout.ms": 20000, "message.max.bytes": 4 * 1024 * 1024}))
        results = [None] * len(req["messages"])
        errors = []

        def report(i):
            def cb(err, msg):
                if err is not None:
                    errors.append(err)
                else:
                    results[i] = {"partition": msg.partition(), "offset": msg.offset(), "timestamp": msg.timestamp()[1]}
            return cb

        for i, m in enumerate(req["messages"]):
            kwargs = {"value": unhex(m["value"]), "key": unhex(m["key"]), "on_delivery": report(i)}
            if m.get("partition") is not None:
                kwargs["partition"] = m["partition"]
            if m.get("headers"):
                kwargs["headers"] = [(k, unhex(v)) for k, v in m["headers"]]
            if m.get("timestamp") is not None:
                kwargs["timestamp"] = m["timestamp"]
            p.produce(req["topic"], **kwargs)
            p.poll(0)
        left = p.flush(30)
        if errors:
            self.check(errors[0])
        if left:
            raise StepError(f"{left} messages undelivered")
        return {"results": results}

    def record(self, msg):
        return {"partition": msg.partition(), "offset": msg.offset(), "key": tohex(msg.key()), "value": tohex(msg.value()),
                "headers": [[k, tohex(v)] for k, v in (msg.headers() or [])], "timestamp": msg.timestamp()[1]}

    def consume(self, req):
        c = self.ck.Consumer(self.conf(**{"group.id": "interop-assign-only", "enable.auto.commit": False,
                                          "auto.offset.reset": "error", "fetch.wait.max.ms": req.get("max_wait_ms", 500)}))
        c.assign([self.ck.TopicPartition(req["topic"], req["partition"], req["offset"])])
        out, deadline = [], time.monotonic() + req.get("timeout_ms", 20000) / 1000
        try:
            while len(out) < req["count"] and time.monotonic() < deadline:
                msg = c.poll(0.2)
                if msg is None:
                    continue
                self.check(msg.error())
                out.append(self.record(msg))
        finally:
            c.close()
        return {"records": out}

    def offset_for_time(self, req):
        c = self.ck.Consumer(self.conf(**{"group.id": "interop-assign-only"}))
        try:
            tp = c.offsets_for_times([self.ck.TopicPartition(req["topic"], req["partition"], req["timestamp"])], 20)[0]
            self.check(tp.error)
            return {"offset": tp.offset}
        finally:
            c.close()

    def watermarks(self, req):
        c = self.ck.Consumer(self.conf(**{"group.id": "interop-assign-only"}))
        try:
            low, high = c.get_watermark_offsets(self.ck.TopicPartition(req["topic"], req["partition"]), 20)
            return {"low": low, "high": high}
        finally:
            c.close()

    def list_groups(self, req):
        groups = self.admin().list_groups(timeout=20)
        return {"groups": [{"group": g.id, "protocol_type": g.protocol_type} for g in groups]}

    def describe_group(self, req):
        groups = self.admin().list_groups(req["group"], timeout=20)
        if not groups:
            raise StepError("group not found")
        g = groups[0]
        self.check(g.error)
        return {"state": g.state, "protocol_type": g.protocol_type, "protocol": g.protocol,
                "members": [{"client_id": m.client_id, "client_host": m.client_host} for m in g.members]}

    def group_offsets(self, req):
        raise Unsupported("confluent-kafka-python 1.7.0 admin has no list_consumer_group_offsets (added in 1.9/2.0)")

    def group_member(self, req):
        c = self.ck.Consumer(self.conf(**{"group.id": req["group"], "enable.auto.commit": False,
                                          "auto.offset.reset": "earliest", "session.timeout.ms": 6000,
                                          "heartbeat.interval.ms": 500, "fetch.wait.max.ms": 100,
                                          "partition.assignment.strategy": req.get("assignor", "range")}))
        state = {"assigned": []}

        def on_assign(consumer, parts):
            state["assigned"] = sorted(p.partition for p in parts)
            emit({"event": "assigned", "partitions": state["assigned"]})

        def on_revoke(consumer, parts):
            emit({"event": "revoked", "partitions": sorted(p.partition for p in parts)})

        c.subscribe([req["topic"]], on_assign=on_assign, on_revoke=on_revoke)
        seen = 0
        try:
            while True:
                msg = c.poll(0.1)
                if msg is not None and not msg.error():
                    emit({"event": "record", **self.record(msg)})
                    c.commit(message=msg, asynchronous=False)
                    seen += 1
                    if req.get("stop_after") and seen >= req["stop_after"]:
                        break
                cmd = stdin_command(0)
                if cmd is not None and cmd.get("command") == "leave":
                    break
        finally:
            c.close()
        emit({"event": "closed"})
        return None


# ----------------------------------------------------------------------------------------------- kafka-python
class KafkaPython:
    name = "kafka-python"

    def __init__(self, req):
        import kafka
        self.kafka = kafka
        self.bootstrap = req["bootstrap"]

    def admin(self):
        from kafka.admin import KafkaAdminClient
        return KafkaAdminClient(bootstrap_servers=self.bootstrap, client_id="interop-kafka-python", request_timeout_ms=20000)

    @staticmethod
    def raise_code(code, message):
        if code:
            raise StepError(message, code)

    def run(self, fn):
        from kafka.errors import KafkaError
        try:
            return fn()
        except KafkaError as e:
            raise StepError(f"{type(e).__name__}: {e}", getattr(e, "errno", None))

    def metadata(self, req):
        from kafka import KafkaClient
        from kafka.protocol.metadata import MetadataRequest
        client = KafkaClient(bootstrap_servers=self.bootstrap, client_id="interop-kafka-python")
        try:
            future = client.cluster.request_update()
            client.poll(future=future, timeout_ms=20000)
            cluster = client.cluster
            wanted = req.get("topics")
            topics = []
            for t in sorted(cluster.topics()):
                if wanted is not None and t not in wanted:
                    continue
                parts = []
                for p in sorted(cluster.partitions_for_topic(t) or []):
                    from kafka.structs import TopicPartition
                    parts.append({"partition": p, "leader": cluster.leader_for_partition(TopicPartition(t, p))})
                topics.append({"name": t, "partitions": parts})
            return {"brokers": [{"id": b.nodeId, "host": b.host, "port": b.port} for b in cluster.brokers()],
                    "controller": cluster.controller.nodeId if cluster.controller else None,
                    "cluster_id": getattr(cluster, "cluster_id", None), "topics": topics}
        finally:
            client.close()

    def create_topic(self, req):
        from kafka.admin import NewTopic
        a = self.admin()
        try:
            resp = self.run(lambda: a.create_topics([NewTopic(req["topic"], req["partitions"], 1,
                                                              topic_configs=req.get("configs", {}))], timeout_ms=20000))
            for name, code, *rest in resp.topic_errors:
                self.raise_code(code, f"create {name}: error {code} {rest}")
            return {}
        finally:
            a.close()

    def delete_topic(self, req):
        a = self.admin()
        try:
            resp = self.run(lambda: a.delete_topics([req["topic"]], timeout_ms=20000))
            for name, code in resp.topic_error_codes:
                self.raise_code(code, f"delete {name}: error {code}")
            return {}
        finally:
            a.close()

    def describe_configs(self, req):
        from kafka.admin import ConfigResource, ConfigResourceType
        a = self.admin()
        try:
            resp = self.run(lambda: a.describe_configs([ConfigResource(ConfigResourceType.TOPIC, req["topic"])]))
            configs = {}
            for r in resp:
                for code, msg, rtype, rname, entries in r.resources:
                    self.raise_code(code, f"describe configs: error {code} {msg}")
                    for e in entries:
                        configs[e[0]] = e[1]
            return {"configs": configs}
        finally:
            a.close()

    def delete_records(self, req):
        raise Unsupported("kafka-python 2.0.2 has no DeleteRecords API (KafkaAdminClient.delete_records came in 2.1)")

    def producer(self, codec):
        if codec in ("snappy", "lz4", "zstd"):
            module = {"snappy": "snappy", "lz4": "lz4.frame", "zstd": "zstandard"}[codec]
            try:
                __import__(module)
            except ImportError:
                raise Unsupported(f"kafka-python needs the python module '{module}' for {codec}, not installed from Debian here")
        return self.kafka.KafkaProducer(bootstrap_servers=self.bootstrap, client_id="interop-kafka-python", acks="all",
                                        compression_type=None if codec == "none" else codec, linger_ms=5,
                                        max_request_size=4 * 1024 * 1024)

    def produce(self, req):
        p = self.producer(req.get("codec", "none"))
        try:
            futures = []
            for m in req["messages"]:
                futures.append(p.send(req["topic"], value=unhex(m["value"]), key=unhex(m["key"]),
                                      partition=m.get("partition"), timestamp_ms=m.get("timestamp"),
                                      headers=[(k, unhex(v)) for k, v in m.get("headers", [])]))
            p.flush(30)
            out = []
            for f in futures:
                meta = self.run(lambda: f.get(timeout=30))
                out.append({"partition": meta.partition, "offset": meta.offset, "timestamp": meta.timestamp})
            return {"results": out}
        finally:
            p.close(10)

    def consumer(self, **extra):
        return self.kafka.KafkaConsumer(bootstrap_servers=self.bootstrap, client_id="interop-kafka-python",
                                        enable_auto_commit=False, **extra)

    @staticmethod
    def record(msg):
        return {"partition": msg.partition, "offset": msg.offset, "key": tohex(msg.key), "value": tohex(msg.value),
                "headers": [[k, tohex(v)] for k, v in msg.headers], "timestamp": msg.timestamp}

    def consume(self, req):
        from kafka.structs import TopicPartition
        c = self.consumer(group_id=None, fetch_max_wait_ms=req.get("max_wait_ms", 500),
                          max_partition_fetch_bytes=4 * 1024 * 1024)
        tp = TopicPartition(req["topic"], req["partition"])
        c.assign([tp])
        c.seek(tp, req["offset"])
        out, deadline = [], time.monotonic() + req.get("timeout_ms", 20000) / 1000
        try:
            while len(out) < req["count"] and time.monotonic() < deadline:
                for records in c.poll(timeout_ms=200).values():
                    out.extend(self.record(m) for m in records)
        finally:
            c.close()
        return {"records": out[:req["count"]]}

    def offset_for_time(self, req):
        from kafka.structs import TopicPartition
        c = self.consumer(group_id=None)
        try:
            tp = TopicPartition(req["topic"], req["partition"])
            found = self.run(lambda: c.offsets_for_times({tp: req["timestamp"]}))[tp]
            return {"offset": -1 if found is None else found.offset}
        finally:
            c.close()

    def watermarks(self, req):
        from kafka.structs import TopicPartition
        c = self.consumer(group_id=None)
        try:
            tp = TopicPartition(req["topic"], req["partition"])
            return {"low": self.run(lambda: c.beginning_offsets([tp]))[tp], "high": self.run(lambda: c.end_offsets([tp]))[tp]}
        finally:
            c.close()

    def list_groups(self, req):
        a = self.admin()
        try:
            return {"groups": [{"group": g, "protocol_type": t} for g, t in self.run(a.list_consumer_groups)]}
        finally:
            a.close()

    def describe_group(self, req):
        a = self.admin()
        try:
            g = self.run(lambda: a.describe_consumer_groups([req["group"]]))[0]
            self.raise_code(g.error_code if hasattr(g, "error_code") else 0, "describe group failed")
            members = []
            for m in g.members:
                parts = []
                if m.member_assignment is not None:
                    for topic, ps in m.member_assignment.assignment:
                        parts.extend(ps)
                members.append({"client_id": m.client_id, "client_host": m.client_host, "partitions": sorted(parts)})
            return {"state": g.state, "protocol_type": g.protocol_type, "protocol": g.protocol, "members": members}
        finally:
            a.close()

    def group_offsets(self, req):
        a = self.admin()
        try:
            offsets = self.run(lambda: a.list_consumer_group_offsets(req["group"]))
            return {"offsets": {str(tp.partition): om.offset for tp, om in offsets.items() if tp.topic == req["topic"]}}
        finally:
            a.close()

    def group_member(self, req):
        from kafka import ConsumerRebalanceListener
        from kafka.coordinator.assignors.range import RangePartitionAssignor
        from kafka.coordinator.assignors.roundrobin import RoundRobinPartitionAssignor
        from kafka.structs import OffsetAndMetadata

        class Listener(ConsumerRebalanceListener):
            def on_partitions_revoked(self, revoked):
                emit({"event": "revoked", "partitions": sorted(tp.partition for tp in revoked)})

            def on_partitions_assigned(self, assigned):
                emit({"event": "assigned", "partitions": sorted(tp.partition for tp in assigned)})

        assignor = RoundRobinPartitionAssignor if req.get("assignor") == "roundrobin" else RangePartitionAssignor
        c = self.consumer(group_id=req["group"], auto_offset_reset="earliest", session_timeout_ms=6000,
                          heartbeat_interval_ms=500, fetch_max_wait_ms=100, partition_assignment_strategy=[assignor])
        c.subscribe([req["topic"]], listener=Listener())
        seen = 0
        try:
            while True:
                done = False
                for tp, records in c.poll(timeout_ms=100).items():
                    for msg in records:
                        emit({"event": "record", **self.record(msg)})
                        c.commit({tp: OffsetAndMetadata(msg.offset + 1, "")})
                        seen += 1
                        done = bool(req.get("stop_after")) and seen >= req["stop_after"]
                        if done:
                            break
                    if done:
                        break
                if done:
                    break
                cmd = stdin_command(0)
                if cmd is not None and cmd.get("command") == "leave":
                    break
        finally:
            c.close()
        emit({"event": "closed"})
        return None


def main(argv):
    library = argv[1]
    req = json.loads(sys.stdin.readline())
    try:
        client = (Confluent if library == "confluent" else KafkaPython)(req)
        step = getattr(client, req["step"], None)
        if step is None:
            raise Unsupported(f"the driver has no step {req['step']}")
        result = step(req)
        if result is not None:
            emit({"ok": result})
    except Unsupported as e:
        emit({"unsupported": str(e)})
    except StepError as e:
        emit({"error": str(e), "code": e.code})
    except Exception as e:  # a client-library exception outside the steps' expectations
        emit({"error": f"{type(e).__name__}: {e}", "code": getattr(e, "errno", None)})
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
