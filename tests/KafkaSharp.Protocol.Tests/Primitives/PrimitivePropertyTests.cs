using System.Buffers;
using System.Text;
using FsCheck;
using FsCheck.Fluent;

namespace KafkaSharp.Protocol.Tests.Primitives;

/// <summary>
/// Round trips over generated values. Each property also reads from the encoded bytes split at a generated
/// offset, so values straddling two segments are covered for inputs nobody thought to write down.
/// </summary>
public class PrimitivePropertyTests
{
    private static readonly Config Quick = Config.QuickThrowOnFailure.WithMaxTest(300);

    [Fact]
    public void UnsignedVarIntRoundTripsWhenValueIsAnyUInt32()
    {
        Prop.ForAll(ArbMap.Default.ArbFor<uint>(), ArbMap.Default.ArbFor<byte>(), (value, cut) =>
        {
            byte[] data = Bytes.Written((ref KafkaWriter w) => w.WriteUnsignedVarInt(value));
            var reader = new KafkaReader(Segments.Split(data, cut % (data.Length + 1)));
            return reader.ReadUnsignedVarInt() == value && reader.End && data.Length == WireSize.UnsignedVarInt(value);
        }).Check(Quick);
    }

    [Fact]
    public void VarIntRoundTripsWhenValueIsAnyInt32()
    {
        Prop.ForAll(ArbMap.Default.ArbFor<int>(), ArbMap.Default.ArbFor<byte>(), (value, cut) =>
        {
            byte[] data = Bytes.Written((ref KafkaWriter w) => w.WriteVarInt(value));
            var reader = new KafkaReader(Segments.Split(data, cut % (data.Length + 1)));
            return reader.ReadVarInt() == value && reader.End && data.Length == WireSize.VarInt(value);
        }).Check(Quick);
    }

    [Fact]
    public void VarLongRoundTripsWhenValueIsAnyInt64()
    {
        Prop.ForAll(ArbMap.Default.ArbFor<long>(), ArbMap.Default.ArbFor<byte>(), (value, cut) =>
        {
            byte[] data = Bytes.Written((ref KafkaWriter w) => w.WriteVarLong(value));
            var reader = new KafkaReader(Segments.Split(data, cut % (data.Length + 1)));
            return reader.ReadVarLong() == value && reader.End && data.Length == WireSize.VarLong(value);
        }).Check(Quick);
    }

    [Fact]
    public void UnsignedVarLongRoundTripsWhenValueIsAnyUInt64()
    {
        Prop.ForAll(ArbMap.Default.ArbFor<ulong>(), value =>
        {
            byte[] data = Bytes.Written((ref KafkaWriter w) => w.WriteUnsignedVarLong(value));
            var reader = new KafkaReader(Segments.OneBytePerSegment(data));
            return reader.ReadUnsignedVarLong() == value && reader.End && data.Length == WireSize.UnsignedVarLong(value);
        }).Check(Quick);
    }

    [Fact]
    public void ZigZagDecodeInvertsEncodeWhenValueIsAnyInteger()
    {
        Prop.ForAll(ArbMap.Default.ArbFor<int>(), ArbMap.Default.ArbFor<long>(), (small, large) =>
            ZigZag.Decode(ZigZag.Encode(small)) == small && ZigZag.Decode(ZigZag.Encode(large)) == large).Check(Quick);
    }

    [Fact]
    public void FixedWidthIntegersRoundTripWhenSplitAnywhere()
    {
        Prop.ForAll(ArbMap.Default.ArbFor<short>(), ArbMap.Default.ArbFor<int>(), ArbMap.Default.ArbFor<long>(), (a, b, c) =>
        {
            byte[] data = Bytes.Written((ref KafkaWriter w) => { w.WriteInt16(a); w.WriteInt32(b); w.WriteInt64(c); });
            foreach (ReadOnlySequence<byte> split in Segments.EveryTwoWaySplit(data))
            {
                var reader = new KafkaReader(split);
                if (reader.ReadInt16() != a || reader.ReadInt32() != b || reader.ReadInt64() != c || !reader.End)
                {
                    return false;
                }
            }

            return true;
        }).Check(Quick);
    }

    [Fact]
    public void BytesRoundTripWhenContentAndSplitAreAny()
    {
        Prop.ForAll(ArbMap.Default.ArbFor<byte[]>(), ArbMap.Default.ArbFor<int>(), (value, cut) =>
        {
            value ??= [];
            byte[] data = Bytes.Written((ref KafkaWriter w) => { w.WriteBytes(value); w.WriteCompactBytes(value); });
            var reader = new KafkaReader(Segments.Split(data, (int)((uint)cut % (uint)(data.Length + 1))));
            return reader.ReadBytes().AsSpan().SequenceEqual(value)
                && reader.ReadCompactBytes().AsSpan().SequenceEqual(value)
                && reader.End
                && data.Length == WireSize.Bytes(value.Length) + WireSize.CompactBytes(value.Length);
        }).Check(Quick);
    }

    [Fact]
    public void StringsRoundTripWhenValueIsAnyWellFormedString()
    {
        // Lone surrogates cannot be encoded as UTF-8 at all (they become U+FFFD), so they are outside the property.
        Arbitrary<string> wellFormed = ArbMap.Default.ArbFor<string>()
            .Filter(s => s is null || Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(s)) == s);
        Prop.ForAll(wellFormed, ArbMap.Default.ArbFor<byte>(), (value, cut) =>
        {
            byte[] data = Bytes.Written((ref KafkaWriter w) => { w.WriteNullableString(value); w.WriteCompactNullableString(value); });
            var reader = new KafkaReader(Segments.Split(data, cut % (data.Length + 1)));
            return reader.ReadNullableString() == value
                && reader.ReadCompactNullableString() == value
                && reader.End
                && data.Length == WireSize.String(value) + WireSize.CompactString(value);
        }).Check(Quick);
    }

    [Fact]
    public void TruncatedVarIntThrowsProtocolExceptionWhenAnyBytesAreMissing()
    {
        Prop.ForAll(ArbMap.Default.ArbFor<long>(), value =>
        {
            byte[] data = Bytes.Written((ref KafkaWriter w) => w.WriteVarLong(value));
            for (int length = 0; length < data.Length; length++)
            {
                try
                {
                    new KafkaReader(data.AsMemory(0, length)).ReadVarLong();
                    return false;
                }
                catch (KafkaProtocolException)
                {
                    // expected: every proper prefix of a varint ends on a byte with the continuation bit set
                }
            }

            return true;
        }).Check(Quick);
    }
}
