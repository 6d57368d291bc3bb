using System.Buffers.Binary;

namespace KafkaSharp.Protocol.Records;

/// <summary>
/// Keys and values of control records, the records of a batch whose control attribute is set.
/// <code>
/// key:   version int16 (0) | type int16
/// value of ABORT/COMMIT (end transaction marker): version int16 (0) | coordinatorEpoch int32
/// </code>
/// </summary>
public static class ControlRecord
{
    public const int KeySize = 4;
    public const int EndTransactionMarkerSize = 6;
    public const short CurrentVersion = 0;

    public static void WriteKey(Span<byte> destination, ControlRecordType type)
    {
        BinaryPrimitives.WriteInt16BigEndian(destination, CurrentVersion);
        BinaryPrimitives.WriteInt16BigEndian(destination[2..], (short)type);
    }

    /// <summary>Reads a control key; as in Kafka, a newer key version is accepted as long as the type is there.</summary>
    public static ControlRecordType ReadKey(ReadOnlySpan<byte> key)
    {
        if (key.Length < KeySize)
        {
            RecordThrow.Corrupt($"Control record key of {key.Length} byte(s) is shorter than {KeySize}.");
        }

        short version = BinaryPrimitives.ReadInt16BigEndian(key);
        if (version < 0)
        {
            RecordThrow.Corrupt($"Invalid control record key version {version}.");
        }

        return (ControlRecordType)BinaryPrimitives.ReadInt16BigEndian(key[2..]);
    }

    public static void WriteEndTransactionMarker(Span<byte> destination, int coordinatorEpoch)
    {
        BinaryPrimitives.WriteInt16BigEndian(destination, CurrentVersion);
        BinaryPrimitives.WriteInt32BigEndian(destination[2..], coordinatorEpoch);
    }

    /// <summary>Returns the coordinator epoch of an ABORT/COMMIT marker value.</summary>
    public static int ReadEndTransactionMarker(ReadOnlySpan<byte> value)
    {
        if (value.Length < EndTransactionMarkerSize)
        {
            RecordThrow.Corrupt($"End transaction marker of {value.Length} byte(s) is shorter than {EndTransactionMarkerSize}.");
        }

        short version = BinaryPrimitives.ReadInt16BigEndian(value);
        if (version < 0)
        {
            RecordThrow.Corrupt($"Invalid end transaction marker version {version}.");
        }

        return BinaryPrimitives.ReadInt32BigEndian(value[2..]);
    }

    /// <summary>
    /// Appends an ABORT or COMMIT marker to <paramref name="builder"/>; the caller sets the batch up as
    /// transactional and control with the producer id and epoch, as WriteTxnMarkers needs.
    /// </summary>
    public static void AppendEndTransactionMarker(RecordBatchBuilder builder, long timestamp, ControlRecordType type, int coordinatorEpoch)
    {
        if (type is not (ControlRecordType.Abort or ControlRecordType.Commit))
        {
            throw new ArgumentOutOfRangeException(nameof(type), type, "End transaction markers are ABORT or COMMIT.");
        }

        Span<byte> key = stackalloc byte[KeySize];
        Span<byte> value = stackalloc byte[EndTransactionMarkerSize];
        WriteKey(key, type);
        WriteEndTransactionMarker(value, coordinatorEpoch);
        builder.Append(builder.NextOffset, timestamp, key, keyIsNull: false, value, valueIsNull: false);
    }
}
