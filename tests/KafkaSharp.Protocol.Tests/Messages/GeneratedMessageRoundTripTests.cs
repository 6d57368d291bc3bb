using KafkaSharp.Protocol.Messages;
using KafkaSharp.ProtocolGen.Schema;

namespace KafkaSharp.Protocol.Tests.Messages;

/// <summary>
/// Every generated message at every valid version, filled with random values that respect the schema:
/// Size matches Write, Read gives back an equal message, and the frame reads the same however it is split.
/// </summary>
public sealed class GeneratedMessageRoundTripTests
{
    private const int SeedsPerVersion = 4;

    public static TheoryData<string> MessageNames => [.. SchemaCatalog.MessageNames];

    [Theory]
    [MemberData(nameof(MessageNames))]
    public void ReadReturnsEqualMessageWhenWrittenAtEveryVersion(string name)
    {
        MessageSpec spec = SchemaCatalog.Specs[name];
        for (short version = spec.ValidVersions.Lowest; version <= spec.ValidVersions.Highest; version++)
        {
            for (int seed = 0; seed < SeedsPerVersion; seed++)
            {
                IKafkaMessage original = RandomMessage(spec, version, seed);
                byte[] frame = MessageCodec.Serialize(original, version);
                Assert.True(frame.Length == original.Size(version), $"{name} v{version} seed {seed}: Size {original.Size(version)} but Write produced {frame.Length} bytes.");

                IKafkaMessage copy = MessageCodec.Deserialize(name, frame, version);
                Assert.True(original.Equals(copy), $"{name} v{version} seed {seed}: the message read back differs.");
                Assert.Equal(original.GetHashCode(), copy.GetHashCode());
                Assert.Equal(frame, MessageCodec.Serialize(copy, version));
            }
        }
    }

    [Theory]
    [MemberData(nameof(MessageNames))]
    public void ReadReturnsEqualMessageWhenFrameIsSplitIntoSegments(string name)
    {
        MessageSpec spec = SchemaCatalog.Specs[name];
        for (short version = spec.ValidVersions.Lowest; version <= spec.ValidVersions.Highest; version++)
        {
            IKafkaMessage original = RandomMessage(spec, version, seed: 100 + version);
            byte[] frame = MessageCodec.Serialize(original, version);
            for (int cut = 1; cut < frame.Length; cut++)
            {
                IKafkaMessage copy = MessageCodec.Deserialize(name, SegmentedSequence.Split(frame, cut), version);
                Assert.True(original.Equals(copy), $"{name} v{version}: differs when split at byte {cut} of {frame.Length}.");
            }

            // Every byte in its own segment: every multi-byte value straddles a boundary.
            int[] everyByte = [.. Enumerable.Range(1, Math.Max(0, frame.Length - 1))];
            IKafkaMessage fragmented = MessageCodec.Deserialize(name, SegmentedSequence.Split(frame, everyByte), version);
            Assert.True(original.Equals(fragmented), $"{name} v{version}: differs when every byte is its own segment.");
        }
    }

    [Theory]
    [MemberData(nameof(MessageNames))]
    public void ReadThrowsProtocolExceptionWhenFrameIsTruncated(string name)
    {
        MessageSpec spec = SchemaCatalog.Specs[name];
        for (short version = spec.ValidVersions.Lowest; version <= spec.ValidVersions.Highest; version++)
        {
            byte[] frame = MessageCodec.Serialize(RandomMessage(spec, version, seed: 200 + version), version);
            foreach (int length in SampledOffsets(frame.Length).Prepend(0).Where(l => l < frame.Length).Distinct())
            {
                Exception? error = Record.Exception(() => MessageCodec.Deserialize(name, frame.AsSpan(0, length).ToArray(), version));
                Assert.True(error is KafkaProtocolException, $"{name} v{version} cut to {length} of {frame.Length} bytes: {error?.GetType().Name ?? "no exception"}.");
            }
        }
    }

    [Theory]
    [MemberData(nameof(MessageNames))]
    public void ReadThrowsUnsupportedVersionWhenVersionIsOutsideValidRange(string name)
    {
        MessageSpec spec = SchemaCatalog.Specs[name];
        short[] badVersions = [(short)(spec.ValidVersions.Highest + 1), -1];
        if (spec.ValidVersions.Lowest > 0)
        {
            badVersions = [.. badVersions, (short)(spec.ValidVersions.Lowest - 1)];
        }

        foreach (short version in badVersions)
        {
            IKafkaMessage message = SchemaCatalog.Create(name);
            Assert.Throws<UnsupportedVersionException>(() => MessageCodec.Deserialize(name, new byte[64], version));
            Assert.Throws<UnsupportedVersionException>(() => MessageCodec.Serialize(message, version));
        }
    }

    internal static IKafkaMessage RandomMessage(MessageSpec spec, short version, int seed)
    {
        IKafkaMessage message = SchemaCatalog.Create(spec.Name);
        new RandomMessageFiller(spec, version, seed).Fill(message);
        return message;
    }

    /// <summary>Every offset of a small frame; for a big one the first and last 48 and an even spread between.</summary>
    internal static IEnumerable<int> SampledOffsets(int length)
    {
        if (length <= 160)
        {
            return Enumerable.Range(1, Math.Max(0, length - 1));
        }

        IEnumerable<int> spread = Enumerable.Range(0, 64).Select(i => 48 + (i * (length - 96) / 64));
        return Enumerable.Range(1, 48).Concat(spread).Concat(Enumerable.Range(length - 48, 48)).Where(o => o > 0 && o < length).Distinct();
    }
}
