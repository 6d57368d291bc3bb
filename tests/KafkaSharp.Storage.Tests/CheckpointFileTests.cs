using KafkaSharp.Storage.Checkpoints;
using KafkaSharp.Storage.Errors;
using KafkaSharp.Storage.Tests.Support;

namespace KafkaSharp.Storage.Tests;

public class CheckpointFileTests
{
    [Fact]
    public void WriteProducesKafkaTextFormatWhenOffsetsGiven()
    {
        using var temp = new TempDirectory();
        var file = new OffsetCheckpointFile(temp.Sub("recovery-point-offset-checkpoint"));
        file.Write([KeyValuePair.Create(new TopicPartition("a-b", 0), 42L), KeyValuePair.Create(new TopicPartition("c", 3), 7L)]);

        Assert.Equal("0\n2\na-b 0 42\nc 3 7\n", File.ReadAllText(file.FilePath));
        Assert.Equal(new Dictionary<TopicPartition, long> { [new("a-b", 0)] = 42, [new("c", 3)] = 7 }, file.Read());
        Assert.False(File.Exists(file.FilePath + ".tmp"));
    }

    [Fact]
    public void ReadReturnsEmptyWhenFileMissing()
    {
        using var temp = new TempDirectory();
        Assert.Empty(new OffsetCheckpointFile(temp.Sub("missing")).Read());
    }

    [Fact]
    public void ReadFailsWhenFileIsMalformed()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.Sub("bad"), "0\n2\na 0 1\n");
        Assert.Throws<StorageException>(() => new OffsetCheckpointFile(temp.Sub("bad")).Read());
    }

    [Fact]
    public void PartitionMetadataRoundTripsWhenTopicIdWritten()
    {
        using var temp = new TempDirectory();
        var id = Guid.Parse("0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9");
        PartitionMetadataFile.Write(temp.Path, id);

        string text = File.ReadAllText(Path.Combine(temp.Path, "partition.metadata"));
        Assert.Equal("version: 0\ntopic_id: ChssPU5fYHGCk6S1xtfo-Q\n", text);
        Assert.Equal(id, PartitionMetadataFile.Read(temp.Path));
    }

    [Fact]
    public void MetaPropertiesRoundTripsWhenWritten()
    {
        using var temp = new TempDirectory();
        new MetaProperties(3, "cluster-x").Write(temp.Path);

        string text = File.ReadAllText(Path.Combine(temp.Path, "meta.properties"));
        Assert.Contains("version=0\n", text, StringComparison.Ordinal);
        Assert.Contains("broker.id=3\n", text, StringComparison.Ordinal);
        Assert.Equal(new MetaProperties(3, "cluster-x"), MetaProperties.Read(temp.Path));
    }
}
