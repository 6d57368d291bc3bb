using System.Buffers;
using KafkaSharp.Protocol.Messages;

namespace KafkaSharp.Protocol.Tests.Vectors;

/// <summary>
/// Damaged real frames: flipped bits and random garbage must either decode (a flip in a value field is still a
/// valid message) or fail as <see cref="KafkaProtocolException"/>; never any other exception, never a hang.
/// Produce and fetch records are opened too, with the CRC check off as well, so corrupt compressed data
/// reaches the codecs. Fixed seeds keep every run identical; iteration counts keep each test well under a second.
/// </summary>
public class VectorFuzzTests
{
    private const int FlipRounds = 300;
    private const int GarbageRounds = 300;

    [Theory]
    [MemberData(nameof(VectorFile.WellFormed), MemberType = typeof(VectorFile))]
    public void DecodeThrowsOnlyProtocolExceptionWhenBitsAreFlipped(string name)
    {
        VectorFile vector = VectorFile.Get(name);
        var random = new Random(HashSeed(name));

        for (int round = 0; round < FlipRounds; round++)
        {
            byte[] damaged = (byte[])vector.Data.Clone();
            int flips = random.Next(1, 5);
            for (int i = 0; i < flips; i++)
            {
                damaged[random.Next(damaged.Length)] ^= (byte)(1 << random.Next(8));
            }

            AssertDecodesOrThrowsProtocolException(vector, damaged, $"round {round}");
        }
    }

    [Theory]
    [MemberData(nameof(VectorFile.WellFormed), MemberType = typeof(VectorFile))]
    public void DecodeThrowsOnlyProtocolExceptionWhenBodyIsGarbage(string name)
    {
        VectorFile vector = VectorFile.Get(name);
        var random = new Random(HashSeed(name) ^ 0x5EED);

        for (int round = 0; round < GarbageRounds; round++)
        {
            // Keep the real header prefix half the time, so garbage reaches the body parser of this API.
            int keep = round % 2 == 0 ? Math.Min(8, vector.Data.Length) : 0;
            byte[] damaged = new byte[keep + random.Next(0, 128)];
            vector.Data.AsSpan(0, keep).CopyTo(damaged);
            random.NextBytes(damaged.AsSpan(keep));

            AssertDecodesOrThrowsProtocolException(vector, damaged, $"round {round}");
        }
    }

    [Theory]
    [MemberData(nameof(VectorFile.WellFormed), MemberType = typeof(VectorFile))]
    public void DecodeThrowsOnlyProtocolExceptionWhenBytesAreOverwritten(string name)
    {
        // Lengths and counts set to extremes (0x00 or 0xFF runs) are the classic way to reach an allocation or
        // an integer overflow; a bit flip rarely produces them.
        VectorFile vector = VectorFile.Get(name);
        var random = new Random(HashSeed(name) ^ 0x0FF);

        for (int round = 0; round < FlipRounds; round++)
        {
            byte[] damaged = (byte[])vector.Data.Clone();
            int start = random.Next(damaged.Length);
            int length = Math.Min(random.Next(1, 5), damaged.Length - start);
            damaged.AsSpan(start, length).Fill(random.Next(2) == 0 ? (byte)0x00 : (byte)0xFF);

            AssertDecodesOrThrowsProtocolException(vector, damaged, $"round {round}");
        }
    }

    private static void AssertDecodesOrThrowsProtocolException(VectorFile vector, byte[] damaged, string context)
    {
        try
        {
            DecodedFrame decoded = DecodedFrame.Of(vector, new ReadOnlySequence<byte>(damaged));
            OpenRecords(decoded.Body, verifyCrc: true);
            OpenRecords(decoded.Body, verifyCrc: false);
        }
        catch (KafkaProtocolException)
        {
            // the expected outcome for most damage
        }
        catch (Exception e)
        {
            Assert.Fail($"{vector.Name}, {context}: {e.GetType().Name} escaped instead of KafkaProtocolException " +
                        $"for bytes {Convert.ToHexString(damaged)}: {e}");
        }
    }

    private static void OpenRecords(IApiMessage body, bool verifyCrc)
    {
        IEnumerable<ReadOnlySequence<byte>?> fields = body switch
        {
            ProduceRequest produce => produce.TopicData.SelectMany(t => t.PartitionData).Select(p => p.Records),
            FetchResponse fetch => fetch.Responses.SelectMany(t => t.Partitions).Select(p => p.Records),
            _ => [],
        };

        foreach (ReadOnlySequence<byte>? records in fields)
        {
            if (records is { } value)
            {
                DecodedBatch.All(value, verifyCrc);
            }
        }
    }

    private static int HashSeed(string name)
    {
        // string.GetHashCode is randomised per process; this keeps each vector's seed fixed across runs.
        int hash = 17;
        foreach (char c in name)
        {
            hash = unchecked((hash * 31) + c);
        }

        return hash;
    }
}
