using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using KafkaSharp.Protocol;
using KafkaSharp.Protocol.Compression;
using KafkaSharp.Protocol.Records;

namespace KafkaSharp.Broker.Produce;

/// <summary>
/// One partition's produced bytes made ready for the log: the request-level format rules Kafka's ProduceRequest
/// applies by version, and legacy (magic 0/1) message sets from v0–v2 clients up-converted to one magic-2 batch.
/// Magic-2 bytes are appended in place (the log rewrites base offset and epoch in them), so the writable memory is
/// the request frame's own copy: no per-produce copy on the hot path.
/// </summary>
internal sealed class ProducedRecords : IDisposable
{
    // Legacy message: offset int64, size int32, crc int32, magic int8, attributes int8 (codec in the low 3 bits).
    // A magic-2 batch keeps the magic byte at the same position, which is how the two are told apart.
    private const int MagicPosition = 16;
    private const int LegacyAttributesPosition = 17;
    private const int LegacyCodecMask = 0x07;

    private PooledBufferWriter? _owned;

    private ProducedRecords(Memory<byte> bytes, PooledBufferWriter? owned)
    {
        Bytes = bytes;
        _owned = owned;
    }

    /// <summary>The magic-2 batches to append (empty: nothing to append).</summary>
    public Memory<byte> Bytes { get; private set; }

    /// <summary>
    /// Applies the version rules. v3+: exactly one magic-2 batch (INVALID_RECORD), zstd only from v7
    /// (UNSUPPORTED_COMPRESSION_TYPE). v0–v2: a legacy set is up-converted keeping its codec (CORRUPT_MESSAGE when it
    /// does not parse or fails its CRC). Structure, CRC and sizes of magic-2 batches are the log validator's job.
    /// </summary>
    public static ErrorCode TryPrepare(ReadOnlySequence<byte>? records, short version, out ProducedRecords? prepared, out string? message)
    {
        prepared = null;
        message = null;
        if (records is not { Length: > 0 } sequence)
        {
            if (version >= 3)
            {
                message = "Produce requests with version 3 and above must have exactly one record batch.";
                return ErrorCode.InvalidRecord;
            }

            prepared = new ProducedRecords(Memory<byte>.Empty, null);
            return ErrorCode.None;
        }

        (Memory<byte> bytes, PooledBufferWriter? owned) = Writable(sequence);
        if (bytes.Length <= MagicPosition)
        {
            owned?.Dispose();
            message = $"Record set of {bytes.Length} bytes is too short to hold a message.";
            return ErrorCode.CorruptMessage;
        }

        byte magic = bytes.Span[MagicPosition];
        ErrorCode error = version >= 3
            ? CheckSingleBatch(bytes.Span, version, out message)
            : magic < RecordBatchHeader.CurrentMagic ? UpConvert(ref bytes, ref owned, out message) : ErrorCode.None;
        if (error != ErrorCode.None)
        {
            owned?.Dispose();
            return error;
        }

        prepared = new ProducedRecords(bytes, owned);
        return ErrorCode.None;
    }

    private static (Memory<byte>, PooledBufferWriter?) Writable(in ReadOnlySequence<byte> sequence)
    {
        // The connection copies produce frames into a pooled array it owns until the handler completes; that array
        // is ours to rewrite in place. Anything else (a multi-segment sequence) is copied once.
        if (sequence.IsSingleSegment && MemoryMarshal.TryGetArray(sequence.First, out ArraySegment<byte> segment))
        {
            return (segment.AsMemory(), null);
        }

        var copy = new PooledBufferWriter(checked((int)sequence.Length));
        sequence.CopyTo(copy.GetSpan((int)sequence.Length));
        copy.Advance((int)sequence.Length);
        return (MemoryMarshal.AsMemory(copy.WrittenMemory), copy);
    }

    private static ErrorCode CheckSingleBatch(ReadOnlySpan<byte> bytes, short version, out string? message)
    {
        message = null;
        if (bytes[MagicPosition] != RecordBatchHeader.CurrentMagic)
        {
            message = "Produce requests with version 3 and above must use message format version 2.";
            return ErrorCode.InvalidRecord;
        }

        if (bytes.Length >= RecordBatchHeader.Size)
        {
            long size = (long)BinaryPrimitives.ReadInt32BigEndian(bytes[RecordBatchHeader.LengthOffset..]) + RecordBatchHeader.LogOverhead;
            if (size >= RecordBatchHeader.Size && size < bytes.Length)
            {
                message = "Produce requests with version 3 and above must have exactly one record batch.";
                return ErrorCode.InvalidRecord;
            }

            var compression = (CompressionType)(BinaryPrimitives.ReadInt16BigEndian(bytes[RecordBatchHeader.AttributesOffset..]) & 0x07);
            if (compression == CompressionType.Zstd && version < 7)
            {
                message = "Produce requests with version below 7 cannot use zstd compression.";
                return ErrorCode.UnsupportedCompressionType;
            }
        }

        return ErrorCode.None;
    }

    /// <summary>Cold path (pre-0.11 clients): decode the legacy set, write one magic-2 batch with the same codec.</summary>
    private static ErrorCode UpConvert(ref Memory<byte> bytes, ref PooledBufferWriter? owned, out string? message)
    {
        var codec = (CompressionType)(bytes.Span[LegacyAttributesPosition] & LegacyCodecMask);
        return Rewrite(ref bytes, ref owned, codec, static (source, output, codec) => LegacyMessageConverter.ToRecordBatch(source, output, codec),
            "Legacy message set is corrupt: ", out message);
    }

    private delegate void RewriteAction<TState>(ReadOnlySpan<byte> source, PooledBufferWriter output, TState state);

    /// <summary>
    /// The cold paths that replace the produced bytes with a rewritten copy (up-conversion, recompression): a record
    /// set that does not decode is CORRUPT_MESSAGE, a codec whose native library is missing UNSUPPORTED_COMPRESSION_TYPE;
    /// on success the copy replaces <paramref name="bytes"/> and is owned from then on.
    /// </summary>
    private static ErrorCode Rewrite<TState>(ref Memory<byte> bytes, ref PooledBufferWriter? owned, TState state, RewriteAction<TState> rewrite,
        string corruptPrefix, out string? message)
    {
        message = null;
        var rewritten = new PooledBufferWriter(bytes.Length + RecordBatchHeader.Size);
        try
        {
            rewrite(bytes.Span, rewritten, state);
        }
        catch (KafkaProtocolException e)
        {
            rewritten.Dispose();
            message = corruptPrefix + e.Message;
            return ErrorCode.CorruptMessage;
        }
        catch (NativeCodecUnavailableException e)
        {
            rewritten.Dispose();
            message = e.Message;
            return ErrorCode.UnsupportedCompressionType;
        }

        owned?.Dispose();
        owned = rewritten;
        bytes = MemoryMarshal.AsMemory(rewritten.WrittenMemory);
        return ErrorCode.None;
    }

    /// <summary>
    /// Applies a topic's <c>compression.type</c> other than <c>producer</c>: every data batch whose codec differs is
    /// rebuilt with <paramref name="target"/> (offsets, timestamps, headers and producer fields kept), as Kafka's log
    /// validator does. Control batches and batches already in the target codec stay as they are. Cold path: topics
    /// that leave compression to the producer never come here.
    /// </summary>
    public ErrorCode TryRecompress(CompressionType target, out string? message)
    {
        message = null;
        if (!NeedsRecompression(Bytes.Span, target))
        {
            return ErrorCode.None;
        }

        Memory<byte> bytes = Bytes;
        ErrorCode error = Rewrite(ref bytes, ref _owned, target, RecompressAll, "Record batch is corrupt: ", out message);
        Bytes = bytes;
        return error;
    }

    private static void RecompressAll(ReadOnlySpan<byte> batches, PooledBufferWriter output, CompressionType target)
    {
        using var builder = new RecordBatchBuilder();
        while (batches.Length > 0)
        {
            int size = BatchSize(batches);
            ReadOnlySpan<byte> batch = batches[..size];
            batches = batches[size..];
            if (Converts(batch, target))
            {
                Rebuild(batch, target, builder, output);
            }
            else
            {
                batch.CopyTo(output.GetSpan(size));
                output.Advance(size);
            }
        }
    }

    private static bool NeedsRecompression(ReadOnlySpan<byte> bytes, CompressionType target)
    {
        while (bytes.Length >= RecordBatchHeader.Size)
        {
            int size = BatchSize(bytes);
            if (Converts(bytes[..size], target))
            {
                return true;
            }

            bytes = bytes[size..];
        }

        return false;
    }

    /// <summary>The whole batch at the start of <paramref name="bytes"/>, or the rest when its length field is off (storage rejects it).</summary>
    private static int BatchSize(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < RecordBatchHeader.Size)
        {
            return bytes.Length;
        }

        long size = (long)BinaryPrimitives.ReadInt32BigEndian(bytes[RecordBatchHeader.LengthOffset..]) + RecordBatchHeader.LogOverhead;
        return size < RecordBatchHeader.Size || size > bytes.Length ? bytes.Length : (int)size;
    }

    private static bool Converts(ReadOnlySpan<byte> batch, CompressionType target)
    {
        if (batch.Length < RecordBatchHeader.Size || batch[MagicPosition] != RecordBatchHeader.CurrentMagic)
        {
            return false;
        }

        RecordBatchHeader header = RecordBatchHeader.Read(batch);
        return !header.IsControl && header.Compression != target;
    }

    private static void Rebuild(ReadOnlySpan<byte> batch, CompressionType target, RecordBatchBuilder builder, PooledBufferWriter output)
    {
        using RecordBatchReader reader = RecordBatchReader.Open(batch);
        RecordBatchHeader header = reader.Header;
        builder.Reset();
        builder.BaseOffset = header.BaseOffset;
        builder.Compression = target;
        builder.TimestampType = header.TimestampType;
        builder.LogAppendTime = header.TimestampType == TimestampType.LogAppendTime ? header.MaxTimestamp : -1;
        builder.PartitionLeaderEpoch = header.PartitionLeaderEpoch;
        builder.ProducerId = header.ProducerId;
        builder.ProducerEpoch = header.ProducerEpoch;
        builder.BaseSequence = header.BaseSequence;
        builder.IsTransactional = header.IsTransactional;
        foreach (Record record in reader)
        {
            builder.Append(record);
        }

        if (builder.Count == 0)
        {
            throw new KafkaProtocolException("the batch holds no records.");
        }

        builder.WriteTo(output);
    }

    public void Dispose()
    {
        _owned?.Dispose();
        _owned = null;
    }
}
