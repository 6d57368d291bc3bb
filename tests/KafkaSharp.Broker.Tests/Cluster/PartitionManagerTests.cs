using KafkaSharp.Broker.Cluster;
using KafkaSharp.Broker.Tests.Support;
using KafkaSharp.Broker.Topics;
using KafkaSharp.Protocol;
using KafkaSharp.Storage;
using KafkaSharp.Storage.Checkpoints;
using Microsoft.Extensions.Logging;

namespace KafkaSharp.Broker.Tests.Cluster;

public sealed class PartitionManagerTests
{
    [Fact]
    public async Task Start_ReplacesTheLog_WhenItBelongsToAnEarlierTopicOfTheSameName()
    {
        string dataDir = NewDataDir();
        try
        {
            string oldId;
            await using (TestBroker first = TestBroker.Start(dataDir: dataDir))
            {
                TopicCreationResult created = await first.Broker.Topics.CreateTopicAsync(new TopicCreation("reborn"), validateOnly: false);
                oldId = KafkaUuid.ToString(created.Topic!.TopicId);
            }

            // As if the topic had been deleted and re-created elsewhere while this broker was down.
            Guid newId = KafkaUuid.NewId();
            string metadataFile = Path.Combine(dataDir, LocalClusterMetadata.FileName);
            await File.WriteAllTextAsync(metadataFile, (await File.ReadAllTextAsync(metadataFile)).Replace(oldId, KafkaUuid.ToString(newId), StringComparison.Ordinal));

            await using TestBroker second = TestBroker.Start(dataDir: dataDir);
            string partitionDir = second.Broker.Logs.GetLog(new TopicPartition("reborn", 0))!.Directory;
            Assert.Equal(newId, PartitionMetadataFile.Read(partitionDir));
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }

    [Fact]
    public async Task Start_KeepsAndReportsTheLog_WhenMetadataDoesNotKnowItsTopic()
    {
        string dataDir = NewDataDir();
        try
        {
            await using (TestBroker first = TestBroker.Start(dataDir: dataDir))
            {
                await first.Broker.Topics.CreateTopicAsync(new TopicCreation("orphan"), validateOnly: false);
            }

            File.Delete(Path.Combine(dataDir, LocalClusterMetadata.FileName));

            await using TestBroker second = TestBroker.Start(dataDir: dataDir);
            Assert.NotNull(second.Broker.Logs.GetLog(new TopicPartition("orphan", 0)));
            Assert.Contains(second.Logs.MessagesAtLeast(LogLevel.Warning), m => m.Contains("orphan-0", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }

    [Fact]
    public async Task TryGetLeader_ReturnsKafkasErrors_WhenThePartitionCannotBeServed()
    {
        await using TestBroker broker = TestBroker.Start();
        TopicCreationResult created = await broker.Broker.Topics.CreateTopicAsync(new TopicCreation("served", 2), validateOnly: false);

        Assert.Equal(ErrorCode.None, broker.Broker.Partitions.TryGetLeader("served", 1, out var hosted));
        Assert.Equal(new TopicPartition("served", 1), hosted!.TopicPartition);
        Assert.Equal(ErrorCode.None, broker.Broker.Partitions.TryGetLeader(created.Topic!.TopicId, 0, out _));
        Assert.Equal(ErrorCode.UnknownTopicOrPartition, broker.Broker.Partitions.TryGetLeader("served", 2, out _));
        Assert.Equal(ErrorCode.UnknownTopicOrPartition, broker.Broker.Partitions.TryGetLeader("absent", 0, out _));
        Assert.Equal(ErrorCode.UnknownTopicId, broker.Broker.Partitions.TryGetLeader(Guid.NewGuid(), 0, out _));
    }

    [Fact]
    public async Task Reconcile_UpdatesLogConfigs_WhenTopicConfigsChange()
    {
        await using TestBroker broker = TestBroker.Start();
        TopicCreationResult created = await broker.Broker.Topics.CreateTopicAsync(new TopicCreation("tuned"), validateOnly: false);

        await broker.Broker.Metadata.SetTopicConfigsAsync(created.Topic!.TopicId, new Dictionary<string, string> { ["retention.ms"] = "12345" });

        Assert.Equal(12345, broker.Broker.Logs.GetLog(new TopicPartition("tuned", 0))!.Config.RetentionMs);
    }

    private static string NewDataDir() => Path.Combine(Path.GetTempPath(), "kafkasharp-broker-tests", Guid.NewGuid().ToString("N"));
}
