#!/usr/bin/env bash
# Captures the Kafka traffic of one interop scenario on loopback and prints the decoded requests and responses.
#
# usage: interop/capture/decode-scenario.sh SCENARIO [CLIENT] [--bootstrap HOST:PORT] [--verbose]
#   SCENARIO  a substring of a scenario name, e.g. "seek by timestamp" or "group of 3"
#   CLIENT    one client name (default Confluent.Kafka): kcat, kafka-python, kafkajs, platformatic-kafka, ...
#   --bootstrap  capture against a running cluster on loopback (e.g. apache/kafka in Docker) instead of a fresh
#                KafkaSharp started here on a free port
#   --verbose    print tshark's full Kafka dissection (-O kafka) instead of the one-line-per-frame summary
#
# Needs root (tshark capturing on lo), tshark, dotnet. The pcap and the broker's data are kept in the printed
# temporary folder for a second look (tshark -r FILE -d tcp.port==PORT,kafka -O kafka). Every process it starts
# is stopped by the EXIT trap.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
scenario=""
client="Confluent.Kafka"
bootstrap=""
verbose=0
while [[ $# -gt 0 ]]; do
    case $1 in
        --bootstrap) bootstrap=$2; shift 2 ;;
        --verbose) verbose=1; shift ;;
        -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
        *) if [[ -z $scenario ]]; then scenario=$1; else client=$1; fi; shift ;;
    esac
done
if [[ -z $scenario ]]; then
    sed -n '2,14p' "$0" >&2
    exit 64
fi
if [[ $EUID -ne 0 ]]; then
    echo "decode-scenario.sh: run as root (tshark must capture on lo)" >&2
    exit 1
fi

work=$(mktemp -d /tmp/kafkasharp-capture.XXXXXX)
server_pid=""
tshark_pid=""
cleanup() {
    if [[ -n $tshark_pid ]]; then kill -INT "$tshark_pid" 2>/dev/null || true; fi
    if [[ -n $server_pid ]]; then kill -TERM "$server_pid" 2>/dev/null || true; fi
    wait 2>/dev/null || true
}
trap cleanup EXIT

echo "building the runner and the server..." >&2
dotnet build "$repo/interop/KafkaSharp.Interop" -c Release -v quiet -nologo >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }
dotnet build "$repo/src/KafkaSharp.Server" -c Release -v quiet -nologo >>"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }

if [[ -z $bootstrap ]]; then
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    dotnet "$repo/src/KafkaSharp.Server/bin/Release/net10.0/KafkaSharp.Server.dll" \
        --override "listeners=PLAINTEXT://127.0.0.1:$port" --override "log.dirs=$work/data" \
        --override group.initial.rebalance.delay.ms=0 --log-level WARN >"$work/server.log" 2>&1 &
    server_pid=$!
    for _ in $(seq 100); do
        (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
        sleep 0.1
    done
    bootstrap="127.0.0.1:$port"
else
    port=${bootstrap##*:}
fi

tshark -i lo -f "tcp port $port" -w "$work/scenario.pcapng" >"$work/tshark.log" 2>&1 &
tshark_pid=$!
for _ in $(seq 100); do
    grep -q "Capturing on" "$work/tshark.log" && break
    sleep 0.1
done
sleep 0.5 # the banner comes just before the capture filter is live

echo "running '$scenario' through $client against $bootstrap..." >&2
KAFKA_BOOTSTRAP=$bootstrap dotnet "$repo/interop/KafkaSharp.Interop/bin/Release/net10.0/KafkaSharp.Interop.dll" \
    --clients "$client" --scenarios "$scenario" --no-mixed --out "$work/matrix.md" >"$work/runner.log" 2>&1 || true
grep -E "^  (Pass|Fail|NotSupported)" "$work/runner.log" >&2 || cat "$work/runner.log" >&2

sleep 0.5
kill -INT "$tshark_pid"
wait "$tshark_pid" 2>/dev/null || true
tshark_pid=""

if [[ $verbose -eq 1 ]]; then
    tshark -r "$work/scenario.pcapng" -d "tcp.port==$port,kafka" -Y kafka -O kafka
else
    # One line per Kafka frame: time, client port, API and version (tshark's Info column), error codes, topics.
    printf '%-9s %-6s %-40s %-16s %s\n' time client "frame" "error codes" topics
    tshark -r "$work/scenario.pcapng" -d "tcp.port==$port,kafka" -Y kafka -T fields -E separator='|' \
        -E occurrence=a -E aggregator=, -e frame.time_relative -e tcp.srcport -e tcp.dstport -e _ws.col.Info \
        -e kafka.error -e kafka.topic_name 2>/dev/null |
    while IFS='|' read -r time src dst info errors topics; do
        peer=$([[ $src == "$port" ]] && echo "$dst" || echo "$src")
        topics=$(echo "$topics" | tr ',' '\n' | sort -u | paste -sd, -)
        printf '%-9.3f %-6s %-40s %-16s %s\n' "$time" "$peer" "${info#Kafka }" "${errors:0:16}" "$topics"
    done
fi
echo "capture kept in $work (scenario.pcapng, runner.log, server.log)" >&2
