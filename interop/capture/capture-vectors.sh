#!/usr/bin/env bash
# Captures the Kafka frames that real clients put on the wire and saves them as test vectors under
# tests/KafkaSharp.Protocol.Tests/Vectors/ (one frame per file, WITHOUT the 4-byte size prefix).
#
# The broker side is librdkafka's built-in mock cluster (test.mock.num.brokers=1), hosted by an idle kcat
# producer that reads from a FIFO; every client below connects to it over loopback while tshark records the
# port. kafka_frames.py reassembles the TCP streams and cuts out the chosen request/response pairs.
#
# Needs: root (tshark on lo), kcat, tshark, /usr/bin/python3 with kafka-python and confluent-kafka.
# Idempotent: vectors are built in a temporary folder and replace the previous ones only if every run worked;
# timestamps inside record batches change from run to run, the facts the tests check do not.
# Loopback only; every process it starts is bounded by `timeout` and stopped by the EXIT trap.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
out="$repo/tests/KafkaSharp.Protocol.Tests/Vectors"
py=/usr/bin/python3
topic=vec
# kafka-python cannot decompress snappy/lz4/zstd without extra modules, so it gets a topic of its own.
kp_topic=vec-kafka-python

if [[ $EUID -ne 0 ]]; then
    echo "capture-vectors.sh: run as root (tshark must capture on lo)" >&2
    exit 1
fi

work=$(mktemp -d)
host_pid=""
tshark_pid=""

cleanup() {
    exec 3>&- 2>/dev/null || true
    if [[ -n $tshark_pid ]]; then kill -INT "$tshark_pid" 2>/dev/null || true; fi
    if [[ -n $host_pid ]]; then kill "$host_pid" 2>/dev/null || true; fi
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

rdkafka_version=$(kcat -V 2>&1 | sed -n 's/.*librdkafka \([0-9.]*\).*/\1/p')
kafka_python_version=$($py -c 'import kafka; print(kafka.__version__)')
confluent_version=$($py -c 'import confluent_kafka; print(confluent_kafka.version()[0])')
kcat_prefix="kcat-$rdkafka_version"
kafka_python_prefix="kafka-python-$kafka_python_version"
confluent_prefix="confluent-kafka-$confluent_version"
echo "librdkafka $rdkafka_version, kafka-python $kafka_python_version, confluent-kafka $confluent_version"

# The mock cluster lives as long as this kcat: it waits on the FIFO until fd 3 is closed in cleanup.
mkfifo "$work/host.in"
timeout 600 kcat -P -X test.mock.num.brokers=1 -X client.id=mock-host -b localhost:1 -t mock-host \
    <"$work/host.in" 2>"$work/host.log" &
host_pid=$!
exec 3>"$work/host.in"

port=""
for _ in $(seq 50); do
    port=$(sed -n 's/.*replaced with 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$work/host.log")
    [[ -n $port ]] && break
    sleep 0.1
done
if [[ -z $port ]]; then
    echo "mock cluster did not start:" >&2
    cat "$work/host.log" >&2
    exit 1
fi
broker="127.0.0.1:$port"
echo "mock cluster on $broker"
mkdir -p "$work/out"

start_capture() {
    tshark -i lo -f "tcp port $port" -w "$work/$1.pcapng" -a duration:120 >"$work/$1.tshark.log" 2>&1 &
    tshark_pid=$!
    for _ in $(seq 100); do
        grep -q "Capturing on" "$work/$1.tshark.log" && break
        sleep 0.1
    done
    sleep 0.5 # the banner is printed just before the capture filter is live
}

# stop_capture NAME PREFIX SPEC...
stop_capture() {
    local name=$1 prefix=$2
    shift 2
    sleep 0.5
    kill -INT "$tshark_pid"
    wait "$tshark_pid" || true
    tshark_pid=""
    echo "$name:"
    $py "$here/kafka_frames.py" "$work/$name.pcapng" "$port" "$work/out" "$prefix" "$@"
}

# --- librdkafka through kcat: one produce per codec, two keyed records with headers each ---
# linger.ms keeps both records in one batch even when a loaded machine delays the second line.
for codec in none gzip snappy lz4 zstd; do
    start_capture "kcat-produce-$codec"
    printf 'key-1\tvalue-%s-1\nkey-2\tvalue-%s-2\n' "$codec" "$codec" |
        timeout 30 kcat -P -b "$broker" -t "$topic" -p 0 -z "$codec" -K $'\t' -H "codec=$codec" -H client=kcat \
            -X linger.ms=500
    stop_capture "kcat-produce-$codec" "$kcat_prefix" "Produce=$codec"
done

start_capture kcat-metadata
timeout 30 kcat -L -b "$broker" -t "$topic" >/dev/null
stop_capture kcat-metadata "$kcat_prefix" ApiVersions Metadata

start_capture kcat-consume
timeout 30 kcat -C -b "$broker" -t "$topic" -p 0 -o beginning -c 10 -e -q >/dev/null
stop_capture kcat-consume "$kcat_prefix" ListOffsets Fetch

# --- kafka-python: its own protocol versions; only none and gzip need no extra codec modules ---
for codec in none gzip; do
    start_capture "kafka-python-produce-$codec"
    timeout 60 $py - "$broker" "$kp_topic" "$codec" <<'EOF'
import sys
from kafka import KafkaProducer
broker, topic, codec = sys.argv[1:]
producer = KafkaProducer(bootstrap_servers=broker, client_id="kafka-python", linger_ms=100,
                         compression_type=None if codec == "none" else codec)
for i in (1, 2):
    producer.send(topic, key=b"key-%d" % i, value=("value-kp-%s-%d" % (codec, i)).encode(),
                  headers=[("codec", codec.encode()), ("client", b"kafka-python")], partition=0)
producer.flush(10)
producer.close(10)
EOF
    specs=("Produce=$codec")
    if [[ $codec == none ]]; then specs+=(ApiVersions Metadata); fi
    stop_capture "kafka-python-produce-$codec" "$kafka_python_prefix" "${specs[@]}"
done

start_capture kafka-python-consume
timeout 60 $py - "$broker" "$kp_topic" <<'EOF'
import sys
from kafka import KafkaConsumer, TopicPartition
broker, topic = sys.argv[1:]
consumer = KafkaConsumer(bootstrap_servers=broker, client_id="kafka-python", group_id=None,
                         enable_auto_commit=False, consumer_timeout_ms=3000)
partition = TopicPartition(topic, 0)
consumer.assign([partition])
consumer.seek_to_beginning(partition)
for count, _ in enumerate(consumer, 1):
    if count == 4:
        break
consumer.close()
EOF
stop_capture kafka-python-consume "$kafka_python_prefix" ListOffsets Fetch

# --- confluent-kafka-python: librdkafka again, with its default client id ---
start_capture confluent-produce-lz4
timeout 60 $py - "$broker" "$topic" <<'EOF'
import sys
from confluent_kafka import Producer
broker, topic = sys.argv[1:]
producer = Producer({"bootstrap.servers": broker, "compression.codec": "lz4", "linger.ms": 100})
for i in (1, 2):
    producer.produce(topic, key=b"key-%d" % i, value=b"value-ck-lz4-%d" % i, partition=0,
                     headers=[("codec", b"lz4"), ("client", b"confluent-kafka")])
producer.flush(10)
EOF
stop_capture confluent-produce-lz4 "$confluent_prefix" "Produce=lz4"

# Replace only the files this script owns, so other vectors in the folder are left alone.
rm -f "$out/$kcat_prefix"-*.bin "$out/$kafka_python_prefix"-*.bin "$out/$confluent_prefix"-*.bin
cp "$work/out"/*.bin "$out/"
echo "wrote $(ls "$work/out" | wc -l) vector files to $out"
