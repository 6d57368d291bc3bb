namespace KafkaSharp.Protocol.Records;

/// <summary>Decodes and checks single magic-2 records; shared by the batch reader and its enumerator.</summary>
internal static class RecordParser
{
    /// <summary>The smallest possible record: a one-byte length and six one-byte fields.</summary>
    public const int MinRecordSize = 7;

    /// <summary>
    /// Parses the record at the reader's position. The record's own length must match the fields exactly, as
    /// Kafka's DefaultRecord.readFrom insists; a record may not borrow bytes from the next one.
    /// </summary>
    public static Record Read(scoped ref RecordSpanReader reader, scoped in RecordBatchHeader header)
    {
        int start = reader.Position;
        int bodyLength = reader.ReadVarInt();
        if (bodyLength < MinRecordSize - 1 || bodyLength > reader.Remaining)
        {
            RecordThrow.Corrupt($"Record length {bodyLength} is invalid with {reader.Remaining} byte(s) left in the batch.");
        }

        ReadOnlySpan<byte> bodyBytes = reader.ReadBytes("record", bodyLength);
        var body = new RecordSpanReader(bodyBytes);
        sbyte attributes = body.ReadInt8();
        long timestampDelta = body.ReadVarLong();
        int offsetDelta = body.ReadVarInt();
        ReadOnlySpan<byte> key = body.ReadNullableBytes("record key", out bool keyIsNull);
        ReadOnlySpan<byte> value = body.ReadNullableBytes("record value", out bool valueIsNull);
        int headerCount = body.ReadVarInt();
        if (headerCount < 0)
        {
            RecordThrow.Corrupt($"Invalid header count {headerCount}.");
        }

        int headersStart = body.Position;
        for (int i = 0; i < headerCount; i++)
        {
            ReadHeader(ref body);
        }

        if (body.Remaining != 0)
        {
            RecordThrow.Corrupt($"Record declares {bodyLength} byte(s) but its fields end {body.Remaining} byte(s) early.");
        }

        long timestamp = header.TimestampType == TimestampType.LogAppendTime
            ? header.MaxTimestamp
            : header.BaseTimestamp + timestampDelta;
        return new Record(
            attributes,
            timestamp,
            timestampDelta,
            header.BaseOffset + offsetDelta,
            offsetDelta,
            key,
            keyIsNull,
            value,
            valueIsNull,
            headerCount,
            bodyBytes[headersStart..],
            reader.Position - start);
    }

    public static RecordHeader ReadHeader(scoped ref RecordSpanReader reader)
    {
        int keyLength = reader.ReadVarInt();
        if (keyLength < 0)
        {
            RecordThrow.Corrupt($"Invalid header key length {keyLength}.");
        }

        ReadOnlySpan<byte> key = reader.ReadBytes("header key", keyLength);
        ReadOnlySpan<byte> value = reader.ReadNullableBytes("header value", out bool valueIsNull);
        return new RecordHeader(key, value, valueIsNull);
    }
}
