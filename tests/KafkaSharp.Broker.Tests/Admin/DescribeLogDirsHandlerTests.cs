using KafkaSharp.Broker.Tests.Support;
using KafkaSharp.Protocol;
using KafkaSharp.Protocol.Messages;
using KafkaSharp.Storage;
using static KafkaSharp.Broker.Tests.Admin.AdminRequests;

namespace KafkaSharp.Broker.Tests.Admin;

/// <summary>DescribeLogDirs over the wire.</summary>
public sealed class DescribeLogDirsHandlerTests
{
    public static TheoryData<short> Versions() => [0, 1, 2, 3, 4];

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task DescribeLogDirs_ReportsGrowingPartitionSizes_WhenRecordsAreAppended(short version)
    {
        await using TestBroker broker = TestBroker.Start();
        await CreateTopicAsync(broker, "events", 2);
        await CreateTopicAsync(broker, "other");
        await using TestClient client = broker.Connect();
        var all = new DescribeLogDirsRequest { Topics = null };

        var before = await client.RequestAsync<DescribeLogDirsResponse>(all, version);
        AppendBatch(broker.Broker.Logs.GetLog(new TopicPartition("events", 1))!, 10, 100);
        var after = await client.RequestAsync<DescribeLogDirsResponse>(all, version);

        DescribeLogDirsResponse.DescribeLogDirsResult dir = Assert.Single(after.Results);
        Assert.Equal(((short)ErrorCode.None, Path.GetFullPath(broker.DataDir)), (dir.ErrorCode, dir.LogDir));
        Assert.Equal(["events", "other"], dir.Topics.Select(t => t.Name));
        Assert.Equal(0, Size(before, "events", 1));
        Assert.True(Size(after, "events", 1) > 1000);
        Assert.Equal(0, Size(after, "events", 0));
        Assert.All(dir.Topics.SelectMany(t => t.Partitions), p => Assert.Equal((0L, false), (p.OffsetLag, p.IsFutureKey)));
        if (version >= 4)
        {
            Assert.True(dir.TotalBytes > 0 && dir.UsableBytes > 0 && dir.UsableBytes <= dir.TotalBytes);
        }
    }

    [Fact]
    public async Task DescribeLogDirs_ReportsOnlyRequestedPartitions_WhenTopicsAreGiven()
    {
        await using TestBroker broker = TestBroker.Start();
        await CreateTopicAsync(broker, "events", 3);
        await CreateTopicAsync(broker, "other");
        await using TestClient client = broker.Connect();
        var request = new DescribeLogDirsRequest { Topics = [new() { Topic = "events", Partitions = [0, 2, 9] }] };

        var response = await client.RequestAsync<DescribeLogDirsResponse>(request, 4);

        DescribeLogDirsResponse.DescribeLogDirsTopic topic = Assert.Single(Assert.Single(response.Results).Topics);
        Assert.Equal("events", topic.Name);
        Assert.Equal([0, 2], topic.Partitions.Select(p => p.PartitionIndex));
    }

    [Fact]
    public async Task DescribeLogDirs_ReportsEveryDir_WhenSeveralAreConfigured()
    {
        string second = Path.Combine(Path.GetTempPath(), "kafkasharp-broker-tests", Guid.NewGuid().ToString("N"));
        string first = Path.Combine(Path.GetTempPath(), "kafkasharp-broker-tests", Guid.NewGuid().ToString("N"));
        try
        {
            await using TestBroker broker = TestBroker.Start(new Dictionary<string, string> { ["log.dirs"] = $"{first},{second}" }, dataDir: first);
            await CreateTopicAsync(broker, "events", 2);
            await using TestClient client = broker.Connect();

            var response = await client.RequestAsync<DescribeLogDirsResponse>(new DescribeLogDirsRequest { Topics = null }, 3);

            Assert.Equal([Path.GetFullPath(first), Path.GetFullPath(second)], response.Results.Select(r => r.LogDir));
            Assert.Equal(2, response.Results.Sum(r => r.Topics.Sum(t => t.Partitions.Count)));
            Assert.All(response.Results, r => Assert.Equal(-1, r.TotalBytes));
        }
        finally
        {
            foreach (string dir in new[] { first, second })
            {
                if (Directory.Exists(dir))
                {
                    Directory.Delete(dir, recursive: true);
                }
            }
        }
    }

    [Fact]
    public async Task DescribeLogDirs_AnswersKafkaStorageError_WhenADirIsOffline()
    {
        string first = Path.Combine(Path.GetTempPath(), "kafkasharp-broker-tests", Guid.NewGuid().ToString("N"));
        string second = Path.Combine(Path.GetTempPath(), "kafkasharp-broker-tests", Guid.NewGuid().ToString("N"));
        try
        {
            // The same partition in both dirs is an error the log manager answers by taking the second dir offline.
            Directory.CreateDirectory(Path.Combine(first, "clash-0"));
            Directory.CreateDirectory(Path.Combine(second, "clash-0"));
            await using TestBroker broker = TestBroker.Start(new Dictionary<string, string> { ["log.dirs"] = $"{first},{second}" }, dataDir: first);
            await using TestClient client = broker.Connect();

            var response = await client.RequestAsync<DescribeLogDirsResponse>(new DescribeLogDirsRequest { Topics = null }, 4);

            Assert.Equal([(short)ErrorCode.None, (short)ErrorCode.KafkaStorageError], response.Results.Select(r => r.ErrorCode));
            DescribeLogDirsResponse.DescribeLogDirsResult offline = response.Results[1];
            Assert.Equal((Path.GetFullPath(second), -1L, -1L), (offline.LogDir, offline.TotalBytes, offline.UsableBytes));
            Assert.Empty(offline.Topics);
        }
        finally
        {
            foreach (string dir in new[] { first, second })
            {
                if (Directory.Exists(dir))
                {
                    Directory.Delete(dir, recursive: true);
                }
            }
        }
    }

    private static long Size(DescribeLogDirsResponse response, string topic, int partition) =>
        response.Results.SelectMany(r => r.Topics).Where(t => t.Name == topic).SelectMany(t => t.Partitions).Single(p => p.PartitionIndex == partition).PartitionSize;
}
