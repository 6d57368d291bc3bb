using System.Buffers;

namespace KafkaSharp.Protocol.Tests.Primitives;

public delegate void ReadCheck(ref KafkaReader reader);

/// <summary>One primitive value: how to write it and how to read it back and check it.</summary>
public sealed class PrimitiveCase(string name, WriteAction write, ReadCheck check, bool large = false)
{
    public string Name { get; } = name;

    /// <summary>Over a kilobyte on the wire; left out of the all-in-one message to keep O(n²) tests fast.</summary>
    public bool Large { get; } = large;

    public WriteAction Write { get; } = write;

    public ReadCheck Check { get; } = check;

    public override string ToString() => Name;
}

/// <summary>
/// Every primitive KafkaWriter and KafkaReader know, with edge values: extremes of each integer width, null and
/// empty variable-length fields, multi-byte UTF-8, and values large enough to take the writer's slow paths
/// (a string over the 1 KiB stack path, bytes larger than the writer's 256-byte span).
/// </summary>
public static class PrimitiveCases
{
    private static readonly Guid SampleUuid = new("0123abcd-4567-89ef-fedc-ba9876543210");
    private static readonly byte[] SmallBytes = [0, 1, 2, 0xFE, 0xFF];
    private static readonly byte[] LargeBytes = [.. Enumerable.Range(0, 300).Select(i => (byte)(i * 7))];

    // 1,104 UTF-8 bytes: past the writer's 1 KiB limit for encoding straight into its span.
    private static readonly string LongString = string.Concat(Enumerable.Repeat("kafka-\u00e9\u20ac-", 92));

    public static IReadOnlyList<PrimitiveCase> All { get; } = Build();

    public static TheoryData<PrimitiveCase> Theory()
    {
        var data = new TheoryData<PrimitiveCase>();
        foreach (PrimitiveCase item in All)
        {
            data.Add(item);
        }

        return data;
    }

    /// <summary>The small cases written one after another, the shape of a real message body.</summary>
    public static byte[] Concatenated() => Bytes.Written((ref KafkaWriter w) =>
    {
        foreach (PrimitiveCase item in All.Where(c => !c.Large))
        {
            item.Write(ref w);
        }
    });

    /// <summary>Reads and checks the small cases in order, then requires the input to be used up.</summary>
    public static void ReadAll(ReadOnlySequence<byte> input)
    {
        var reader = new KafkaReader(input);
        foreach (PrimitiveCase item in All.Where(c => !c.Large))
        {
            item.Check(ref reader);
        }

        Assert.True(reader.End);
    }

    private static List<PrimitiveCase> Build() =>
    [
        new("int8", (ref KafkaWriter w) => { w.WriteInt8(sbyte.MinValue); w.WriteInt8(-1); w.WriteInt8(sbyte.MaxValue); },
            (ref KafkaReader r) => { Assert.Equal(sbyte.MinValue, r.ReadInt8()); Assert.Equal(-1, r.ReadInt8()); Assert.Equal(sbyte.MaxValue, r.ReadInt8()); }),
        new("uint8", (ref KafkaWriter w) => w.WriteUInt8(0xFF), (ref KafkaReader r) => Assert.Equal(0xFF, r.ReadUInt8())),
        new("bool", (ref KafkaWriter w) => { w.WriteBool(true); w.WriteBool(false); },
            (ref KafkaReader r) => { Assert.True(r.ReadBool()); Assert.False(r.ReadBool()); }),
        new("int16", (ref KafkaWriter w) => { w.WriteInt16(short.MinValue); w.WriteInt16(-1); w.WriteInt16(short.MaxValue); },
            (ref KafkaReader r) => { Assert.Equal(short.MinValue, r.ReadInt16()); Assert.Equal(-1, r.ReadInt16()); Assert.Equal(short.MaxValue, r.ReadInt16()); }),
        new("uint16", (ref KafkaWriter w) => w.WriteUInt16(ushort.MaxValue), (ref KafkaReader r) => Assert.Equal(ushort.MaxValue, r.ReadUInt16())),
        new("int32", (ref KafkaWriter w) => { w.WriteInt32(int.MinValue); w.WriteInt32(0x01020304); w.WriteInt32(int.MaxValue); },
            (ref KafkaReader r) => { Assert.Equal(int.MinValue, r.ReadInt32()); Assert.Equal(0x01020304, r.ReadInt32()); Assert.Equal(int.MaxValue, r.ReadInt32()); }),
        new("uint32", (ref KafkaWriter w) => w.WriteUInt32(uint.MaxValue), (ref KafkaReader r) => Assert.Equal(uint.MaxValue, r.ReadUInt32())),
        new("int64", (ref KafkaWriter w) => { w.WriteInt64(long.MinValue); w.WriteInt64(0x0102030405060708); w.WriteInt64(long.MaxValue); },
            (ref KafkaReader r) => { Assert.Equal(long.MinValue, r.ReadInt64()); Assert.Equal(0x0102030405060708, r.ReadInt64()); Assert.Equal(long.MaxValue, r.ReadInt64()); }),
        new("float64", (ref KafkaWriter w) => { w.WriteFloat64(Math.PI); w.WriteFloat64(-0.0); w.WriteFloat64(double.NaN); },
            (ref KafkaReader r) =>
            {
                Assert.Equal(Math.PI, r.ReadFloat64());
                Assert.Equal(BitConverter.DoubleToInt64Bits(-0.0), BitConverter.DoubleToInt64Bits(r.ReadFloat64()));
                Assert.True(double.IsNaN(r.ReadFloat64()));
            }),
        new("uuid", (ref KafkaWriter w) => { w.WriteUuid(SampleUuid); w.WriteUuid(Guid.Empty); },
            (ref KafkaReader r) => { Assert.Equal(SampleUuid, r.ReadUuid()); Assert.Equal(Guid.Empty, r.ReadUuid()); }),
        new("varint", (ref KafkaWriter w) => { w.WriteVarInt(int.MinValue); w.WriteVarInt(-1); w.WriteVarInt(int.MaxValue); w.WriteUnsignedVarInt(uint.MaxValue); },
            (ref KafkaReader r) =>
            {
                Assert.Equal(int.MinValue, r.ReadVarInt());
                Assert.Equal(-1, r.ReadVarInt());
                Assert.Equal(int.MaxValue, r.ReadVarInt());
                Assert.Equal(uint.MaxValue, r.ReadUnsignedVarInt());
            }),
        new("varlong", (ref KafkaWriter w) => { w.WriteVarLong(long.MinValue); w.WriteVarLong(long.MaxValue); w.WriteUnsignedVarLong(ulong.MaxValue); },
            (ref KafkaReader r) =>
            {
                Assert.Equal(long.MinValue, r.ReadVarLong());
                Assert.Equal(long.MaxValue, r.ReadVarLong());
                Assert.Equal(ulong.MaxValue, r.ReadUnsignedVarLong());
            }),
        new("string", (ref KafkaWriter w) => { w.WriteString(""); w.WriteString("topic-\u00e9\U0001F511"); },
            (ref KafkaReader r) => { Assert.Equal("", r.ReadString()); Assert.Equal("topic-\u00e9\U0001F511", r.ReadString()); }),
        new("long string", (ref KafkaWriter w) => w.WriteString(LongString), (ref KafkaReader r) => Assert.Equal(LongString, r.ReadString()), large: true),
        new("long compact string", (ref KafkaWriter w) => w.WriteCompactString(LongString), (ref KafkaReader r) => Assert.Equal(LongString, r.ReadCompactString()), large: true),
        new("nullable string", (ref KafkaWriter w) => { w.WriteNullableString(null); w.WriteNullableString("x"); },
            (ref KafkaReader r) => { Assert.Null(r.ReadNullableString()); Assert.Equal("x", r.ReadNullableString()); }),
        new("compact string", (ref KafkaWriter w) => { w.WriteCompactString(""); w.WriteCompactString("topic"); },
            (ref KafkaReader r) => { Assert.Equal("", r.ReadCompactString()); Assert.Equal("topic", r.ReadCompactString()); }),
        new("compact nullable string", (ref KafkaWriter w) => { w.WriteCompactNullableString(null); w.WriteCompactNullableString("\u00fc"); },
            (ref KafkaReader r) => { Assert.Null(r.ReadCompactNullableString()); Assert.Equal("\u00fc", r.ReadCompactNullableString()); }),
        new("bytes", (ref KafkaWriter w) => { w.WriteBytes([]); w.WriteBytes(SmallBytes); },
            (ref KafkaReader r) => { Assert.Empty(r.ReadBytes()); Assert.Equal(SmallBytes, r.ReadBytes()); }),
        new("large bytes", (ref KafkaWriter w) => { w.WriteBytes(LargeBytes); w.WriteCompactBytes(LargeBytes); w.WriteRecords(new ReadOnlySequence<byte>(LargeBytes)); },
            (ref KafkaReader r) =>
            {
                Assert.Equal(LargeBytes, r.ReadBytes());
                Assert.Equal(LargeBytes, r.ReadCompactBytes());
                Assert.Equal(LargeBytes, r.ReadRecords()!.Value.ToArray());
            },
            large: true),
        new("nullable bytes", (ref KafkaWriter w) => { w.WriteNullableBytes(null); w.WriteNullableBytes(SmallBytes); },
            (ref KafkaReader r) => { Assert.Null(r.ReadNullableBytes()); Assert.Equal(SmallBytes, r.ReadNullableBytes()); }),
        new("compact bytes", (ref KafkaWriter w) => { w.WriteCompactBytes([]); w.WriteCompactBytes(SmallBytes); },
            (ref KafkaReader r) => { Assert.Empty(r.ReadCompactBytes()); Assert.Equal(SmallBytes, r.ReadCompactBytes()); }),
        new("compact nullable bytes", (ref KafkaWriter w) => { w.WriteCompactNullableBytes(null); w.WriteCompactNullableBytes(SmallBytes); },
            (ref KafkaReader r) => { Assert.Null(r.ReadCompactNullableBytes()); Assert.Equal(SmallBytes, r.ReadCompactNullableBytes()); }),
        new("records", (ref KafkaWriter w) => { w.WriteRecords(null); w.WriteRecords(new ReadOnlySequence<byte>(SmallBytes)); },
            (ref KafkaReader r) => { Assert.Null(r.ReadRecords()); Assert.Equal(SmallBytes, r.ReadRecords()!.Value.ToArray()); }),
        new("compact records", (ref KafkaWriter w) => { w.WriteCompactRecords(null); w.WriteCompactRecords(new ReadOnlySequence<byte>(SmallBytes)); },
            (ref KafkaReader r) => { Assert.Null(r.ReadCompactRecords()); Assert.Equal(SmallBytes, r.ReadCompactRecords()!.Value.ToArray()); }),
        new("array", (ref KafkaWriter w) => { w.WriteArrayLength(-1); w.WriteArrayLength(2); w.WriteInt8(7); w.WriteInt8(8); },
            (ref KafkaReader r) => { Assert.Equal(-1, r.ReadArrayLength()); Assert.Equal(2, r.ReadArrayLength()); Assert.Equal(7, r.ReadInt8()); Assert.Equal(8, r.ReadInt8()); }),
        new("compact array", (ref KafkaWriter w) => { w.WriteCompactArrayLength(-1); w.WriteCompactArrayLength(0); w.WriteCompactArrayLength(1); w.WriteInt8(9); },
            (ref KafkaReader r) => { Assert.Equal(-1, r.ReadCompactArrayLength()); Assert.Equal(0, r.ReadCompactArrayLength()); Assert.Equal(1, r.ReadCompactArrayLength()); Assert.Equal(9, r.ReadInt8()); }),
        new("raw tagged field", (ref KafkaWriter w) => w.WriteRawTaggedField(new RawTaggedField(300, SmallBytes)),
            (ref KafkaReader r) =>
            {
                int tag = (int)r.ReadUnsignedVarInt();
                int size = (int)r.ReadUnsignedVarInt();
                RawTaggedField field = r.ReadRawTaggedField(tag, size);
                Assert.Equal(300, field.Tag);
                Assert.Equal(SmallBytes, field.Data);
            }),
        new("raw", (ref KafkaWriter w) => { w.WriteRaw(LargeBytes); w.WriteRaw(new ReadOnlySequence<byte>(SmallBytes)); },
            (ref KafkaReader r) =>
            {
                var large = new byte[LargeBytes.Length];
                r.ReadExactly(large);
                Assert.Equal(LargeBytes, large);
                Assert.Equal(SmallBytes, r.ReadSlice(SmallBytes.Length).ToArray());
            },
            large: true),
    ];
}
