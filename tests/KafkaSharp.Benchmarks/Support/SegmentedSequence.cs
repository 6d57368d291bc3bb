using System.Buffers;

namespace KafkaSharp.Benchmarks.Support;

/// <summary>Builds a multi-segment sequence over copies of fixed-size pieces of a buffer.</summary>
public static class SegmentedSequence
{
    public static ReadOnlySequence<byte> Create(ReadOnlySpan<byte> data, int segmentSize)
    {
        if (data.Length <= segmentSize)
        {
            return new ReadOnlySequence<byte>(data.ToArray());
        }

        var first = new Segment(data[..segmentSize].ToArray(), 0);
        Segment last = first;
        for (int start = segmentSize; start < data.Length; start += segmentSize)
        {
            last = last.Append(data[start..Math.Min(start + segmentSize, data.Length)].ToArray());
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(byte[] data, long runningIndex)
        {
            Memory = data;
            RunningIndex = runningIndex;
        }

        public Segment Append(byte[] data)
        {
            var next = new Segment(data, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
