using System.Buffers.Binary;
using System.Globalization;
using KafkaSharp.Protocol.Records;
using KafkaSharp.Storage.Segments;

namespace KafkaSharp.Storage.Producers;

/// <summary>
/// Kafka's producer state snapshot, <c>&lt;20-digit offset&gt;.snapshot</c> in the partition dir (ProducerSnapshot
/// schema, version 1, not flexible): int16 version, uint32 CRC-32C of everything after it, int32 entry count, then per
/// producer id int64, epoch int16, last sequence int32, last offset int64, offset delta int32, timestamp int64,
/// coordinator epoch int32, current transaction first offset int64. The offset in the name is the log end offset
/// the state covers: replay resumes there. Like Kafka, only each producer's last batch is kept.
/// </summary>
public static class ProducerSnapshotFile
{
    public const string Suffix = ".snapshot";
    public const short Version = 1;
    private const int CrcOffset = 2;
    private const int EntriesOffset = 6;
    private const int EntrySize = 8 + 2 + 4 + 8 + 4 + 8 + 4 + 8;

    public static string PathFor(string dir, long offset) => Path.Combine(dir, SegmentFileNames.BaseName(offset) + Suffix);

    /// <summary>The offsets of the snapshot files in <paramref name="dir"/>, ascending.</summary>
    public static List<long> List(string dir)
    {
        var offsets = new List<long>();
        foreach (string path in Directory.EnumerateFiles(dir, "*" + Suffix))
        {
            string name = Path.GetFileName(path);
            if (name.Length == 20 + Suffix.Length && name.EndsWith(Suffix, StringComparison.Ordinal)
                && long.TryParse(name.AsSpan(0, 20), NumberStyles.None, CultureInfo.InvariantCulture, out long offset))
            {
                offsets.Add(offset);
            }
        }

        offsets.Sort();
        return offsets;
    }

    /// <summary>The file's bytes for these producers.</summary>
    public static byte[] Serialize(IReadOnlyCollection<ProducerStateEntry> producers)
    {
        byte[] bytes = new byte[EntriesOffset + 4 + (producers.Count * EntrySize)];
        Span<byte> span = bytes;
        BinaryPrimitives.WriteInt16BigEndian(span, Version);
        BinaryPrimitives.WriteInt32BigEndian(span[EntriesOffset..], producers.Count);
        int position = EntriesOffset + 4;
        foreach (ProducerStateEntry entry in producers)
        {
            Span<byte> e = span.Slice(position, EntrySize);
            BinaryPrimitives.WriteInt64BigEndian(e, entry.ProducerId);
            BinaryPrimitives.WriteInt16BigEndian(e[8..], entry.Epoch);
            BinaryPrimitives.WriteInt32BigEndian(e[10..], entry.LastSequence);
            BinaryPrimitives.WriteInt64BigEndian(e[14..], entry.LastOffset);
            BinaryPrimitives.WriteInt32BigEndian(e[22..], entry.LastOffsetDelta);
            BinaryPrimitives.WriteInt64BigEndian(e[26..], entry.LastTimestamp);
            BinaryPrimitives.WriteInt32BigEndian(e[34..], entry.CoordinatorEpoch);
            BinaryPrimitives.WriteInt64BigEndian(e[38..], entry.CurrentTxnFirstOffset);
            position += EntrySize;
        }

        BinaryPrimitives.WriteUInt32BigEndian(span[CrcOffset..], Crc32C.Compute(span[EntriesOffset..]));
        return bytes;
    }

    /// <summary>Writes the bytes to a temp file, optionally fsyncs, then renames it into place.</summary>
    public static void Write(string path, byte[] bytes, bool sync)
    {
        string temp = path + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            stream.Write(bytes);
            if (sync)
            {
                stream.Flush(flushToDisk: true);
            }
        }

        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Reads a snapshot; <see cref="InvalidDataException"/> when its version, length or CRC is wrong.</summary>
    public static List<ProducerStateEntry> Read(string path) => Parse(File.ReadAllBytes(path));

    public static List<ProducerStateEntry> Parse(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < EntriesOffset + 4)
        {
            throw new InvalidDataException($"Producer snapshot of {bytes.Length} bytes is too short.");
        }

        short version = BinaryPrimitives.ReadInt16BigEndian(bytes);
        if (version != Version)
        {
            throw new InvalidDataException($"Producer snapshot has unknown version {version}.");
        }

        uint stored = BinaryPrimitives.ReadUInt32BigEndian(bytes[CrcOffset..]);
        uint computed = Crc32C.Compute(bytes[EntriesOffset..]);
        if (stored != computed)
        {
            throw new InvalidDataException($"Producer snapshot CRC {stored} does not match its content ({computed}).");
        }

        int count = BinaryPrimitives.ReadInt32BigEndian(bytes[EntriesOffset..]);
        if (count < 0 || (long)count * EntrySize != bytes.Length - EntriesOffset - 4)
        {
            throw new InvalidDataException($"Producer snapshot declares {count} entries but holds {bytes.Length - EntriesOffset - 4} bytes of them.");
        }

        var entries = new List<ProducerStateEntry>(count);
        for (int position = EntriesOffset + 4; position < bytes.Length; position += EntrySize)
        {
            ReadOnlySpan<byte> e = bytes.Slice(position, EntrySize);
            long producerId = BinaryPrimitives.ReadInt64BigEndian(e);
            short epoch = BinaryPrimitives.ReadInt16BigEndian(e[8..]);
            int lastSequence = BinaryPrimitives.ReadInt32BigEndian(e[10..]);
            long lastOffset = BinaryPrimitives.ReadInt64BigEndian(e[14..]);
            int offsetDelta = BinaryPrimitives.ReadInt32BigEndian(e[22..]);
            long timestamp = BinaryPrimitives.ReadInt64BigEndian(e[26..]);
            int coordinatorEpoch = BinaryPrimitives.ReadInt32BigEndian(e[34..]);
            long txnFirstOffset = BinaryPrimitives.ReadInt64BigEndian(e[38..]);
            var entry = new ProducerStateEntry(producerId, epoch, timestamp, coordinatorEpoch, txnFirstOffset);
            if (lastOffset >= 0)
            {
                entry.AddBatch(epoch, new ProducerBatchMetadata(lastSequence, lastOffset, offsetDelta, timestamp));
            }

            entries.Add(entry);
        }

        return entries;
    }
}
