using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace KafkaSharp.ZooKeeper.Jute;

/// <summary>
/// Reads jute's binary archive format (the encoding of every ZooKeeper record) from one complete frame.
/// jute is big-endian and has no varints; lengths are 4-byte signed ints where -1 means null:
/// <code>
///   int      4 bytes            long  8 bytes          boolean  1 byte (0 or 1)
///   buffer   int len, len bytes ustring  int len, len UTF-8 bytes
///   vector   int count, count elements
/// </code>
/// Every length is checked against what remains of the frame before allocating, so a corrupt length can neither
/// over-read nor size a huge allocation.
/// </summary>
internal ref struct JuteReader
{
    private SequenceReader<byte> _reader;

    public JuteReader(ReadOnlySequence<byte> frame) => _reader = new SequenceReader<byte>(frame);

    public JuteReader(ReadOnlyMemory<byte> frame) => _reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(frame));

    public readonly long Remaining => _reader.Remaining;

    public readonly bool End => _reader.End;

    public bool ReadBool()
    {
        if (!_reader.TryRead(out byte value))
        {
            JuteException.ThrowTruncated(1, 0);
        }

        return value != 0;
    }

    public int ReadInt()
    {
        if (!_reader.TryReadBigEndian(out int value))
        {
            JuteException.ThrowTruncated(4, _reader.Remaining);
        }

        return value;
    }

    public long ReadLong()
    {
        if (!_reader.TryReadBigEndian(out long value))
        {
            JuteException.ThrowTruncated(8, _reader.Remaining);
        }

        return value;
    }

    /// <summary>Reads a buffer; jute's null buffer (length -1) comes back as null.</summary>
    public byte[]? ReadBuffer()
    {
        int length = ReadLength();
        if (length < 0)
        {
            return null;
        }

        byte[] bytes = GC.AllocateUninitializedArray<byte>(length);
        _reader.TryCopyTo(bytes);
        _reader.Advance(length);
        return bytes;
    }

    public string? ReadString()
    {
        int length = ReadLength();
        if (length < 0)
        {
            return null;
        }

        ReadOnlySpan<byte> span = _reader.UnreadSpan;
        string text;
        if (span.Length >= length)
        {
            text = Encoding.UTF8.GetString(span[..length]);
        }
        else
        {
            text = Encoding.UTF8.GetString(_reader.UnreadSequence.Slice(0, length));
        }

        _reader.Advance(length);
        return text;
    }

    /// <summary>Reads a <c>vector&lt;ustring&gt;</c>; a null vector comes back empty.</summary>
    public List<string> ReadStringVector()
    {
        int count = ReadInt();
        if (count < 0)
        {
            return [];
        }

        // Each element needs at least its 4-byte length, which bounds the count by the bytes left.
        if ((long)count * 4 > _reader.Remaining)
        {
            JuteException.ThrowTruncated((long)count * 4, _reader.Remaining);
        }

        var items = new List<string>(count);
        for (int i = 0; i < count; i++)
        {
            items.Add(ReadString() ?? string.Empty);
        }

        return items;
    }

    private int ReadLength()
    {
        int length = ReadInt();
        if (length < -1)
        {
            throw new JuteException($"Negative length {length} in a jute record.");
        }

        if (length > _reader.Remaining)
        {
            JuteException.ThrowTruncated(length, _reader.Remaining);
        }

        return length;
    }
}
