using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using KafkaSharp.Integration.Tests.Support;

namespace KafkaSharp.Integration.Tests.ExternalClients;

/// <summary>kcat (librdkafka's command-line client): metadata, producing and consuming.</summary>
[Collection(nameof(ServerCollection))]
public sealed class KcatTests(ServerFixture server)
{
    private readonly string _bootstrap = server.BootstrapServers;

    [Fact]
    public async Task List_ShowsTheBrokerAndTopicPartitions_WhenTopicsExist()
    {
        string topic = Clients.NewTopicName("kcat-list");
        await Clients.CreateTopicAsync(_bootstrap, topic, partitions: 2);

        ProcessResult result = await ScriptClients.KcatAsync(["-b", _bootstrap, "-L", "-J", "-t", topic]);
        ScriptClients.AssertSucceeded(result);
        using JsonDocument metadata = JsonDocument.Parse(result.Stdout);
        JsonElement broker = Assert.Single(metadata.RootElement.GetProperty("brokers").EnumerateArray());
        Assert.Equal(_bootstrap, broker.GetProperty("name").GetString());
        JsonElement listed = Assert.Single(metadata.RootElement.GetProperty("topics").EnumerateArray());
        Assert.Equal(topic, listed.GetProperty("topic").GetString());
        Assert.Equal(2, listed.GetProperty("partitions").GetArrayLength());
    }

    [Theory]
    [InlineData("none")]
    [InlineData("gzip")]
    [InlineData("snappy")]
    [InlineData("lz4")]
    [InlineData("zstd")]
    public async Task ProduceThenConsume_ReturnsTheSameKeysAndValues_WhenCompressed(string codec)
    {
        string topic = Clients.NewTopicName($"kcat-{codec}");
        await Clients.CreateTopicAsync(_bootstrap, topic);
        string[] lines = [.. Enumerable.Range(0, 50).Select(i => $"key{i}:value {i} {new string('x', i)}")];

        ProcessResult produced = await ScriptClients.KcatAsync(
            ["-b", _bootstrap, "-P", "-t", topic, "-p", "0", "-K", ":", "-z", codec, "-X", "broker.address.family=v4"],
            Encoding.UTF8.GetBytes(string.Join('\n', lines) + "\n"));
        ScriptClients.AssertSucceeded(produced);

        ProcessResult consumed = await ScriptClients.KcatAsync(
            ["-b", _bootstrap, "-C", "-t", topic, "-p", "0", "-o", "beginning", "-e", "-f", "%o %k:%s\n", "-X", "broker.address.family=v4"]);
        ScriptClients.AssertSucceeded(consumed);
        Assert.Equal(lines.Select((line, i) => $"{i} {line}"), consumed.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task Consume_ReadsWhatConfluentProduced_WhenHeadersArePresent()
    {
        string topic = Clients.NewTopicName("kcat-headers");
        await Clients.CreateTopicAsync(_bootstrap, topic);
        using (IProducer<byte[], byte[]> producer = new ProducerBuilder<byte[], byte[]>(Clients.ProducerConfig(_bootstrap)).Build())
        {
            await producer.ProduceAsync(topic, new Message<byte[], byte[]>
            {
                Key = "k"u8.ToArray(), Value = "v"u8.ToArray(), Headers = [new Header("a", "1"u8.ToArray()), new Header("b", "2"u8.ToArray())],
            }).WaitAsync(Clients.Timeout);
        }

        ProcessResult consumed = await ScriptClients.KcatAsync(
            ["-b", _bootstrap, "-C", "-t", topic, "-p", "0", "-o", "beginning", "-e", "-f", "%k=%s [%h]\n", "-X", "broker.address.family=v4"]);
        ScriptClients.AssertSucceeded(consumed);
        Assert.Equal("k=v [a=1,b=2]\n", consumed.Stdout);
    }
}
