using System.Text.Json;
using KafkaSharp.Integration.Tests.Support;

namespace KafkaSharp.Integration.Tests.ExternalClients;

/// <summary>
/// kafkajs (pure JavaScript): admin and producer. kafkajs consumers always join a consumer group, which this
/// broker does not serve yet, so what kafkajs produced is read back by Confluent.Kafka and its offsets are checked
/// with kafkajs's admin.fetchTopicOffsets.
/// </summary>
[Collection(nameof(ServerCollection))]
public sealed class KafkajsTests(ServerFixture server)
{
    private readonly string _bootstrap = server.BootstrapServers;
    private readonly string _dataDir = server.Host.DataDir;

    [Fact]
    public async Task CreateTopics_CreatesAListedTopic_WhenAskedByKafkajsAdmin()
    {
        string topic = Clients.NewTopicName("kafkajs-admin");
        ScriptClients.AssertSucceeded(await ScriptClients.KafkajsAsync("create-topic", _bootstrap, topic, "3"));

        ProcessResult listed = await ScriptClients.KafkajsAsync("list-topics", _bootstrap);
        ScriptClients.AssertSucceeded(listed);
        Assert.Contains(topic, JsonSerializer.Deserialize<string[]>(listed.Stdout)!);

        ProcessResult offsets = await ScriptClients.KafkajsAsync("offsets", _bootstrap, topic);
        ScriptClients.AssertSucceeded(offsets);
        Assert.Equal(
            [(0, 0L, 0L), (1, 0L, 0L), (2, 0L, 0L)],
            ParseOffsets(offsets.Stdout).OrderBy(o => o.Partition));
    }

    [Theory]
    [InlineData("all", "none", false)]
    [InlineData("1", "gzip", false)]
    [InlineData("all", "gzip", true)]
    public async Task Produce_StoresMessagesByteForByte_WhenSentByKafkajs(string acks, string codec, bool idempotent)
    {
        string topic = Clients.NewTopicName("kafkajs-produce");
        await Clients.CreateTopicAsync(_bootstrap, topic, partitions: 2);
        ExternalMessage[] sent = [.. Enumerable.Range(0, 30).Select(i => ExternalMessage.Sample(i, partition: i % 2))];
        string file = ExternalMessage.WriteFile(sent);
        try
        {
            ProcessResult produced = await ScriptClients.KafkajsAsync("produce", _bootstrap, topic, file, acks, codec, idempotent ? "idempotent" : "plain");
            ScriptClients.AssertSucceeded(produced);
            Assert.Equal(
                Enumerable.Range(0, 15).Select(i => (long)i),
                ExternalMessage.ParseDeliveries(produced.Stdout).Where(d => d.Partition == 1).Select(d => d.Offset));
        }
        finally
        {
            File.Delete(file);
        }

        ProcessResult offsets = await ScriptClients.KafkajsAsync("offsets", _bootstrap, topic);
        ScriptClients.AssertSucceeded(offsets);
        Assert.Equal([(0, 0L, 15L), (1, 0L, 15L)], ParseOffsets(offsets.Stdout).OrderBy(o => o.Partition));

        for (int partition = 0; partition < 2; partition++)
        {
            ExternalMessage[] read = [.. Clients.ReadToEnd(_bootstrap, topic, partition).Select(ExternalMessage.From)];
            ExternalMessage[] expected = [.. sent.Where(m => m.Partition == partition)];
            Assert.Equal(expected.Length, read.Length);
            Assert.All(expected.Zip(read), pair => Assert.True(pair.First.SameAs(pair.Second), $"{pair.First} != {pair.Second}"));
            if (idempotent)
            {
                LogFiles.AssertIdempotentBatches(_dataDir, topic, partition);
            }
        }
    }

    private static List<(int Partition, long Low, long High)> ParseOffsets(string json)
    {
        using JsonDocument doc = JsonDocument.Parse(json);
        return [.. doc.RootElement.EnumerateArray().Select(o => (o.GetProperty("partition").GetInt32(), o.GetProperty("low").GetInt64(), o.GetProperty("high").GetInt64()))];
    }
}
