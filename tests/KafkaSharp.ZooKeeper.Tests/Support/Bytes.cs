using System.Buffers;
using KafkaSharp.ZooKeeper.Jute;
using KafkaSharp.ZooKeeper.Protocol;

namespace KafkaSharp.ZooKeeper.Tests.Support;

/// <summary>Hex literals for hand-checked wire bytes, and sequences split into segments.</summary>
internal static class Bytes
{
    /// <summary>Parses hex, ignoring spaces and '|' (used to mark field boundaries in the expected bytes).</summary>
    public static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal).Replace("|", "", StringComparison.Ordinal));

    public static string ToHex(ReadOnlySpan<byte> bytes) => Convert.ToHexString(bytes);

    /// <summary>What a request record writes.</summary>
    public static byte[] Encode(IJuteRequest request)
    {
        var buffer = new ArrayBufferWriter<byte>();
        request.Write(new JuteWriter(buffer));
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The same bytes as a sequence of two segments split at <paramref name="at"/>.</summary>
    public static ReadOnlySequence<byte> Split(byte[] bytes, int at)
    {
        var first = new Segment(bytes.AsMemory(0, at));
        Segment last = first.Append(bytes.AsMemory(at));
        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory) => Memory = memory;

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory) { RunningIndex = RunningIndex + Memory.Length };
            Next = next;
            return next;
        }
    }
}
