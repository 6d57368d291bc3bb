using KafkaSharp.Protocol.Messages;
using KafkaSharp.ProtocolGen.Schema;

namespace KafkaSharp.Protocol.Tests.Messages;

/// <summary>Corrupted frames either read or fail with a protocol exception, never with anything else.</summary>
public sealed class GeneratedMessageFuzzTests
{
    private const int MutationsPerVersion = 40;

    public static TheoryData<string> MessageNames => [.. SchemaCatalog.MessageNames];

    [Theory]
    [MemberData(nameof(MessageNames))]
    public void ReadThrowsOnlyProtocolExceptionWhenBytesAreCorrupted(string name)
    {
        MessageSpec spec = SchemaCatalog.Specs[name];
        Random random = new(name.Length * 7919);
        for (short version = spec.ValidVersions.Lowest; version <= spec.ValidVersions.Highest; version++)
        {
            byte[] frame = MessageCodec.Serialize(GeneratedMessageRoundTripTests.RandomMessage(spec, version, seed: 300 + version), version);
            if (frame.Length == 0)
            {
                continue;
            }

            for (int i = 0; i < MutationsPerVersion; i++)
            {
                byte[] corrupted = (byte[])frame.Clone();
                int changes = 1 + random.Next(3);
                for (int c = 0; c < changes; c++)
                {
                    // Mostly single bit flips; sometimes a byte that makes lengths and counts extreme.
                    int at = random.Next(corrupted.Length);
                    corrupted[at] = random.Next(4) == 0 ? (byte)(random.Next(2) == 0 ? 0xFF : 0x7F) : (byte)(corrupted[at] ^ (1 << random.Next(8)));
                }

                Exception? error = Record.Exception(() => ReadAll(name, corrupted, version));
                Assert.True(error is null or KafkaProtocolException, $"{name} v{version}: {error?.GetType().Name}: {error?.Message}");
            }
        }
    }

    private static void ReadAll(string name, byte[] frame, short version)
    {
        // Unlike MessageCodec.Deserialize, leftover bytes are not an error here: a corrupted length may end early.
        IKafkaMessage message = SchemaCatalog.Create(name);
        KafkaReader reader = new(frame);
        message.Read(ref reader, version);
        _ = message.Size(version);
    }
}
