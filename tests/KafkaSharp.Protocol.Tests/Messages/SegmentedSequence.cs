using System.Buffers;

namespace KafkaSharp.Protocol.Tests.Messages;

/// <summary>Builds a multi-segment <see cref="ReadOnlySequence{T}"/> over copies of a byte array, cut at given offsets.</summary>
internal static class SegmentedSequence
{
    public static ReadOnlySequence<byte> Split(byte[] data, params int[] cuts)
    {
        List<int> bounds = [0, .. cuts.Where(c => c > 0 && c < data.Length).Distinct().Order(), data.Length];
        Segment first = new(data.AsMemory(bounds[0], bounds[1] - bounds[0]).ToArray(), 0);
        Segment last = first;
        for (int i = 1; i < bounds.Count - 1; i++)
        {
            last = last.Append(data.AsMemory(bounds[i], bounds[i + 1] - bounds[i]).ToArray());
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            Segment next = new(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
