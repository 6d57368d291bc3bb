#!/usr/bin/python3
"""Cut the Kafka frames out of a loopback capture and save chosen request/response pairs as vector files.

Usage: kafka_frames.py CAPTURE.pcapng BROKER_PORT OUT_DIR PREFIX SPEC [SPEC ...]

A SPEC is `ApiName` or `ApiName=variant` (e.g. `Produce=gzip`). For each spec and each version of that API, the
first request seen on a connection opened during the capture is kept, with the response carrying the same
correlation id;
for Fetch the pair with the largest response is kept instead, so the vector holds records rather than an
empty long-poll answer, and for Metadata the largest request, since librdkafka sometimes asks for brokers
only before it asks for the topic. Files are named `PREFIX-<api>-v<version>[-variant]-request.bin` / `-response.bin`
and hold one frame each WITHOUT the 4-byte size prefix (header + body only).

Only streams whose SYN is in the capture are used, so the long-lived connection of the process hosting the
mock cluster never leaks into a vector.
"""
import os
import struct
import subprocess
import sys

API_NAMES = {
    0: "produce", 1: "fetch", 2: "list-offsets", 3: "metadata", 8: "offset-commit", 9: "offset-fetch",
    10: "find-coordinator", 11: "join-group", 12: "heartbeat", 13: "leave-group", 14: "sync-group",
    18: "api-versions", 19: "create-topics", 22: "init-producer-id", 32: "describe-configs",
}
SPEC_NAMES = {
    "Produce": 0, "Fetch": 1, "ListOffsets": 2, "Metadata": 3, "OffsetFetch": 9, "FindCoordinator": 10,
    "ApiVersions": 18,
}


def tshark_lines(capture, display_filter, fields):
    args = ["tshark", "-r", capture, "-Y", display_filter, "-T", "fields"]
    for field in fields:
        args += ["-e", field]
    out = subprocess.run(args, check=True, capture_output=True, text=True).stdout
    return [line.split("\t") for line in out.splitlines() if line]


def reassemble(capture, port):
    """Returns {(stream, direction): bytes} with direction 'c2s' or 's2c'."""
    opened = {int(f[0]) for f in tshark_lines(capture, "tcp.flags.syn==1 && tcp.flags.ack==0", ["tcp.stream"])}
    segments = {}
    for stream, src, seq, payload in tshark_lines(
            capture, "tcp.len>0", ["tcp.stream", "tcp.srcport", "tcp.seq_raw", "tcp.payload"]):
        stream = int(stream)
        if stream not in opened:
            continue
        direction = "s2c" if int(src) == port else "c2s"
        # Keyed by sequence number: a retransmitted segment overwrites itself instead of duplicating bytes.
        segments.setdefault((stream, direction), {})[int(seq)] = bytes.fromhex(payload.replace(":", ""))
    streams = {}
    for key, by_seq in segments.items():
        data = bytearray()
        first = min(by_seq)
        for seq in sorted(by_seq):
            offset = (seq - first) % (1 << 32)
            if offset != len(data):
                sys.exit(f"gap or overlap in stream {key} at offset {offset}, have {len(data)}")
            data += by_seq[seq]
        streams[key] = bytes(data)
    return streams


def frames(data):
    out, pos = [], 0
    while pos + 4 <= len(data):
        (size,) = struct.unpack_from(">i", data, pos)
        if size < 0 or pos + 4 + size > len(data):
            sys.exit(f"bad or incomplete frame at {pos}: size {size}, {len(data) - pos - 4} bytes left")
        out.append(data[pos + 4:pos + 4 + size])
        pos += 4 + size
    if pos != len(data):
        sys.exit(f"{len(data) - pos} trailing bytes after the last frame")
    return out


def pairs(streams):
    """Yields (api_key, api_version, request_frame, response_frame_or_None) in capture order per stream."""
    for (stream, direction), data in sorted(streams.items()):
        if direction != "c2s":
            continue
        responses = {}
        for frame in frames(streams.get((stream, "s2c"), b"")):
            responses[struct.unpack_from(">i", frame, 0)[0]] = frame
        for frame in frames(data):
            key, version, correlation = struct.unpack_from(">hhi", frame, 0)
            yield key, version, frame, responses.get(correlation)


def main():
    capture, port, out_dir, prefix, specs = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5:]
    all_pairs = list(pairs(reassemble(capture, port)))
    for spec in specs:
        name, _, variant = spec.partition("=")
        key = SPEC_NAMES[name]
        matching = [p for p in all_pairs if p[0] == key]
        if not matching:
            sys.exit(f"{capture}: no {name} request captured")
        # One pair per version: librdkafka, for one, retries ApiVersions at v0 after the broker refuses v3.
        for version in sorted({p[1] for p in matching}):
            of_version = [p for p in matching if p[1] == version]
            if key == 1:
                chosen = max(of_version, key=lambda p: len(p[3] or b""))
            elif key == 3:
                # librdkafka may first ask for brokers only (no topics); keep the request that names topics.
                chosen = max(of_version, key=lambda p: len(p[2]))
            else:
                chosen = of_version[0]
            _, _, request, response = chosen
            stem = f"{prefix}-{API_NAMES[key]}-v{version}" + (f"-{variant}" if variant else "")
            for suffix, frame in (("request", request), ("response", response)):
                if frame is None:
                    continue  # acks=0 produce has no response
                path = os.path.join(out_dir, f"{stem}-{suffix}.bin")
                with open(path, "wb") as f:
                    f.write(frame)
                print(f"  {os.path.basename(path)} ({len(frame)} bytes)")


if __name__ == "__main__":
    main()
