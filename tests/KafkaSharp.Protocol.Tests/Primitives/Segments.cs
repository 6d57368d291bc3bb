using System.Buffers;

namespace KafkaSharp.Protocol.Tests.Primitives;

/// <summary>
/// Builds multi-segment <see cref="ReadOnlySequence{T}"/>s the way a pipe hands them over: a frame may arrive in
/// any number of pieces, and a value may straddle two of them. Each segment owns a fresh array, so a reader that
/// wrongly kept reading past a segment's end would see garbage rather than the next segment's bytes.
/// </summary>
public static class Segments
{
    /// <summary>Splits <paramref name="data"/> at the given ascending offsets (an offset may repeat: empty segment).</summary>
    public static ReadOnlySequence<byte> Split(ReadOnlySpan<byte> data, params int[] offsets)
    {
        var pieces = new List<byte[]>();
        int start = 0;
        foreach (int offset in offsets)
        {
            pieces.Add(data[start..offset].ToArray());
            start = offset;
        }

        pieces.Add(data[start..].ToArray());
        return Join(pieces);
    }

    /// <summary>The data split in two at every offset from 0 to its length.</summary>
    public static IEnumerable<ReadOnlySequence<byte>> EveryTwoWaySplit(byte[] data)
    {
        for (int offset = 0; offset <= data.Length; offset++)
        {
            yield return Split(data, offset);
        }
    }

    /// <summary>One byte per segment, with an empty segment between each pair: the worst case for a reader.</summary>
    public static ReadOnlySequence<byte> OneBytePerSegment(ReadOnlySpan<byte> data)
    {
        var pieces = new List<byte[]>();
        foreach (byte b in data)
        {
            pieces.Add([b]);
            pieces.Add([]);
        }

        return Join(pieces);
    }

    public static ReadOnlySequence<byte> Join(IReadOnlyList<byte[]> pieces)
    {
        if (pieces.Count == 0)
        {
            return ReadOnlySequence<byte>.Empty;
        }

        var first = new Segment(pieces[0], 0);
        Segment last = first;
        for (int i = 1; i < pieces.Count; i++)
        {
            last = last.Append(pieces[i]);
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
