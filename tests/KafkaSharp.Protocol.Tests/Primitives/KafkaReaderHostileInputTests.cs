namespace KafkaSharp.Protocol.Tests.Primitives;

/// <summary>
/// Lengths and counts an attacker controls: every one must be checked against the bytes actually left before
/// anything is allocated or skipped, and must fail as <see cref="KafkaProtocolException"/> so the connection
/// layer treats it as a bad frame rather than as a server bug.
/// </summary>
public class KafkaReaderHostileInputTests
{
    /// <summary>Ten bytes of payload after the length, as in "a 2 GiB length with 10 bytes left".</summary>
    private static readonly byte[] Tail = new byte[10];

    public static TheoryData<string, byte[], ReadFunc<object?>> HostileFields() => new()
    {
        { "bytes 2 GiB", Prefix("7F FF FF FF"), (ref KafkaReader r) => r.ReadBytes() },
        { "bytes 11", Prefix("00 00 00 0B"), (ref KafkaReader r) => r.ReadBytes() },
        { "bytes -2", Prefix("FF FF FF FE"), (ref KafkaReader r) => r.ReadNullableBytes() },
        { "bytes int.MinValue", Prefix("80 00 00 00"), (ref KafkaReader r) => r.ReadNullableBytes() },
        { "compact bytes 4 GiB", Prefix("FF FF FF FF 0F"), (ref KafkaReader r) => r.ReadCompactBytes() },
        { "compact bytes 2 GiB", Prefix("80 80 80 80 08"), (ref KafkaReader r) => r.ReadCompactNullableBytes() },
        { "string 32 KiB", Prefix("7F FF"), (ref KafkaReader r) => r.ReadString() },
        { "string -2", Prefix("FF FE"), (ref KafkaReader r) => r.ReadNullableString() },
        { "string short.MinValue", Prefix("80 00"), (ref KafkaReader r) => r.ReadString() },
        { "compact string 4 GiB", Prefix("FF FF FF FF 0F"), (ref KafkaReader r) => r.ReadCompactNullableString() },
        { "compact string 12", Prefix("0D"), (ref KafkaReader r) => r.ReadCompactString() },
        { "records 2 GiB", Prefix("7F FF FF FF"), (ref KafkaReader r) => r.ReadRecords() },
        { "records -2", Prefix("FF FF FF FE"), (ref KafkaReader r) => r.ReadRecords() },
        { "compact records 4 GiB", Prefix("FF FF FF FF 0F"), (ref KafkaReader r) => r.ReadCompactRecords() },
        { "array 2 G elements", Prefix("7F FF FF FF"), (ref KafkaReader r) => r.ReadArrayLength() },
        { "array 11 elements", Prefix("00 00 00 0B"), (ref KafkaReader r) => r.ReadArrayLength() },
        { "array -2", Prefix("FF FF FF FE"), (ref KafkaReader r) => r.ReadArrayLength() },
        { "compact array 4 G elements", Prefix("FF FF FF FF 0F"), (ref KafkaReader r) => r.ReadCompactArrayLength() },
        { "over-long varint", Prefix("FF FF FF FF FF FF"), (ref KafkaReader r) => r.ReadUnsignedVarInt() },
        { "over-long varlong", Prefix("FF FF FF FF FF FF FF FF FF FF FF"), (ref KafkaReader r) => r.ReadVarLong() },
        { "tagged field 2 GiB", [], (ref KafkaReader r) => r.ReadRawTaggedField(1, int.MaxValue) },
        { "tagged field -1", [], (ref KafkaReader r) => r.ReadRawTaggedField(1, -1) },
        { "slice 11", [], (ref KafkaReader r) => r.ReadSlice(11) },
        { "slice -1", [], (ref KafkaReader r) => r.ReadSlice(-1) },
        { "sub-reader long.MaxValue", [], (ref KafkaReader r) => r.ReadSubReader(long.MaxValue).Remaining },
        { "skip -1", [], (ref KafkaReader r) => { r.Skip(-1); return null; } },
        { "skip 2 GiB", [], (ref KafkaReader r) => { r.Skip(int.MaxValue); return null; } },
        { "exactly 11", [], (ref KafkaReader r) => { r.ReadExactly(new byte[11]); return null; } },
    };

    [Theory]
    [MemberData(nameof(HostileFields))]
    public void ReadThrowsProtocolExceptionWhenLengthOrCountExceedsInput(string name, byte[] data, ReadFunc<object?> read)
    {
        Assert.NotNull(name);

        Assert.Throws<KafkaProtocolException>(() => Read(data, read));
    }

    [Theory]
    [MemberData(nameof(HostileFields))]
    public void ReadDoesNotAllocateByClaimedLengthWhenLengthExceedsInput(string name, byte[] data, ReadFunc<object?> read)
    {
        Assert.NotNull(name);
        ThrowsProtocolException(data, read); // warm up: the first throw loads resources and stack-trace metadata

        // The least of three tries: anything else that allocates on this thread while an exception is thrown
        // (a first-chance exception handler in the test host) adds noise, never removes the claimed length.
        long allocated = long.MaxValue;
        for (int attempt = 0; attempt < 3; attempt++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            bool threw = ThrowsProtocolException(data, read);
            allocated = Math.Min(allocated, GC.GetAllocatedBytesForCurrentThread() - before);
            Assert.True(threw);
        }

        // The exception, its message and its stack trace cost a few KiB; anything sized by the hostile length
        // would be at least 11 bytes over the input here, and gigabytes for most of the cases.
        Assert.InRange(allocated, 0, 32 * 1024);
    }

    private static byte[] Prefix(string hex) => [.. Bytes.Hex(hex), .. Tail];

    private static object? Read(byte[] data, ReadFunc<object?> read)
    {
        var reader = new KafkaReader(data);
        return read(ref reader);
    }

    private static bool ThrowsProtocolException(byte[] data, ReadFunc<object?> read)
    {
        try
        {
            Read(data, read);
            return false;
        }
        catch (KafkaProtocolException)
        {
            return true;
        }
    }
}
