using KafkaSharp.Protocol.Messages;
using KafkaSharp.ProtocolGen.Schema;

namespace KafkaSharp.Protocol.Tests.Messages;

/// <summary>Tagged fields a reader does not know are kept and written back in tag order, at every nesting level.</summary>
public sealed class UnknownTaggedFieldTests
{
    public static TheoryData<string> FlexibleMessageNames =>
        [.. SchemaCatalog.MessageNames.Where(n => !SchemaCatalog.Specs[n].FlexibleVersions.IsEmpty)];

    [Theory]
    [MemberData(nameof(FlexibleMessageNames))]
    public void ReadKeepsUnknownTaggedFieldsWhenMessageIsRoundTripped(string name)
    {
        MessageSpec spec = SchemaCatalog.Specs[name];
        VersionRange flexible = spec.FlexibleVersions.Intersect(spec.ValidVersions);
        for (short version = flexible.Lowest; version <= flexible.Highest; version++)
        {
            for (int seed = 0; seed < 3; seed++)
            {
                IKafkaMessage original = SchemaCatalog.Create(name);
                new RandomMessageFiller(spec, version, seed, addUnknownTaggedFields: true).Fill(original);
                byte[] frame = MessageCodec.Serialize(original, version);
                Assert.Equal(original.Size(version), frame.Length);

                IKafkaMessage copy = MessageCodec.Deserialize(name, frame, version);
                Assert.True(original.Equals(copy), $"{name} v{version} seed {seed}: unknown tagged fields did not survive.");
                List<RawTaggedField>? unknown = (List<RawTaggedField>?)copy.GetType().GetProperty("UnknownTaggedFields")!.GetValue(copy);
                Assert.NotNull(unknown);
                Assert.NotEmpty(unknown);
            }
        }
    }

    [Fact]
    public void EqualsReturnsFalseWhenOnlyUnknownTaggedFieldsDiffer()
    {
        ApiVersionsRequest left = new() { UnknownTaggedFields = [new RawTaggedField(7, [1, 2])] };
        ApiVersionsRequest right = new() { UnknownTaggedFields = [new RawTaggedField(7, [1, 3])] };

        Assert.NotEqual(left, right);
        Assert.Equal(new ApiVersionsRequest(), new ApiVersionsRequest { UnknownTaggedFields = [] });
    }
}
