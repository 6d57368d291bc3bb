using KafkaSharp.Broker.Tests.Support;
using KafkaSharp.Protocol;
using KafkaSharp.Protocol.Messages;
using static KafkaSharp.Broker.Tests.Admin.AdminRequests;

namespace KafkaSharp.Broker.Tests.Admin;

/// <summary>DescribeConfigs over the wire: sources, synonyms, types, key subsets and per-resource errors.</summary>
public sealed class DescribeConfigsHandlerTests
{
    private const sbyte TopicConfigSource = 1, StaticSource = 4, DefaultSource = 5;

    public static TheoryData<short> Versions() => [0, 1, 2, 3, 4];

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task DescribeConfigs_ReportsOverridesAndDefaults_WhenTopicExistsAtAnyVersion(short version)
    {
        await using TestBroker broker = TestBroker.Start();
        await CreateTopicAsync(broker, "events", 1, ("retention.ms", "1000"));
        await using TestClient client = broker.Connect();

        var response = await client.RequestAsync<DescribeConfigsResponse>(Describe(TopicResource, "events", synonyms: version >= 1), version);

        DescribeConfigsResponse.DescribeConfigsResult result = Assert.Single(response.Results);
        Assert.Equal(((short)ErrorCode.None, TopicResource, "events"), (result.ErrorCode, result.ResourceType, result.ResourceName));
        var configs = result.Configs.ToDictionary(c => c.Name, StringComparer.Ordinal);
        Assert.Equal(36, configs.Count);
        DescribeConfigsResponse.DescribeConfigsResourceResult retention = configs["retention.ms"];
        DescribeConfigsResponse.DescribeConfigsResourceResult cleanup = configs["cleanup.policy"];
        Assert.Equal(("1000", false, false), (retention.Value, retention.ReadOnly, retention.IsSensitive));
        Assert.Equal("delete", cleanup.Value);
        if (version == 0)
        {
            Assert.False(retention.IsDefault);
            Assert.True(cleanup.IsDefault);
        }
        else
        {
            Assert.Equal(TopicConfigSource, retention.ConfigSource);
            Assert.Equal(DefaultSource, cleanup.ConfigSource);
            Assert.Equal("retention.ms", retention.Synonyms[0].Name);
            Assert.Equal(TopicConfigSource, retention.Synonyms[0].Source);
        }

        Assert.Equal(version >= 3 ? (sbyte)5 : (sbyte)0, retention.ConfigType); // LONG
        Assert.Equal(version >= 3 ? (sbyte)7 : (sbyte)0, cleanup.ConfigType); // LIST
        if (version >= 3)
        {
            Assert.Null(retention.Documentation);
        }
    }

    [Fact]
    public async Task DescribeConfigs_ListsBrokerSynonymsInPriorityOrder_WhenIncludeSynonyms()
    {
        await using TestBroker broker = TestBroker.Start(new Dictionary<string, string> { ["log.segment.bytes"] = "2000000" });
        await CreateTopicAsync(broker, "events", 1, ("segment.bytes", "3000000"));
        await CreateTopicAsync(broker, "plain");
        await using TestClient client = broker.Connect();

        var overridden = (await DescribeAsync(client, TopicResource, "events"))["segment.bytes"];
        var inherited = (await DescribeAsync(client, TopicResource, "plain"))["segment.bytes"];

        Assert.Equal(
            [("segment.bytes", "3000000", TopicConfigSource), ("log.segment.bytes", "2000000", StaticSource), ("log.segment.bytes", "1073741824", DefaultSource)],
            overridden.Synonyms.Select(s => (s.Name, s.Value, s.Source)));
        Assert.Equal(("2000000", StaticSource), (inherited.Value, inherited.ConfigSource));
        Assert.Equal(2, inherited.Synonyms.Count);
    }

    [Fact]
    public async Task DescribeConfigs_OmitsSynonyms_WhenNotAsked()
    {
        await using TestBroker broker = TestBroker.Start();
        await CreateTopicAsync(broker, "events", 1, ("retention.ms", "1000"));
        await using TestClient client = broker.Connect();

        var configs = await DescribeAsync(client, TopicResource, "events", synonyms: false);

        Assert.All(configs.Values, c => Assert.Empty(c.Synonyms));
        Assert.Equal(TopicConfigSource, configs["retention.ms"].ConfigSource);
    }

    [Fact]
    public async Task DescribeConfigs_ReturnsOnlyRequestedKeys_WhenKeysAreGiven()
    {
        await using TestBroker broker = TestBroker.Start();
        await CreateTopicAsync(broker, "events");
        await using TestClient client = broker.Connect();

        var response = await client.RequestAsync<DescribeConfigsResponse>(Describe(TopicResource, "events", false, "retention.ms", "max.message.bytes", "no.such.key"), 4);

        Assert.Equal(["max.message.bytes", "retention.ms"], Assert.Single(response.Results).Configs.Select(c => c.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task DescribeConfigs_AnswersEachResourceWithItsOwnError_WhenSomeAreInvalid()
    {
        await using TestBroker broker = TestBroker.Start();
        await CreateTopicAsync(broker, "events");
        await using TestClient client = broker.Connect();
        var request = new DescribeConfigsRequest
        {
            Resources =
            [
                new() { ResourceType = TopicResource, ResourceName = "events", ConfigurationKeys = null },
                new() { ResourceType = TopicResource, ResourceName = "missing", ConfigurationKeys = null },
                new() { ResourceType = TopicResource, ResourceName = "bad name", ConfigurationKeys = null },
                new() { ResourceType = BrokerResource, ResourceName = "x", ConfigurationKeys = null },
                new() { ResourceType = BrokerResource, ResourceName = "7", ConfigurationKeys = null },
                new() { ResourceType = 3, ResourceName = "g", ConfigurationKeys = null },
            ],
        };

        var response = await client.RequestAsync<DescribeConfigsResponse>(request, 2);

        Assert.Equal(
            [ErrorCode.None, ErrorCode.UnknownTopicOrPartition, ErrorCode.InvalidTopicException, ErrorCode.InvalidRequest, ErrorCode.InvalidRequest, ErrorCode.InvalidRequest],
            response.Results.Select(r => (ErrorCode)r.ErrorCode));
        Assert.NotEmpty(response.Results[0].Configs);
        Assert.All(response.Results.Skip(1), r => Assert.Empty(r.Configs));
        Assert.Contains("expected 0 or empty string", response.Results[4].ErrorMessage, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task DescribeConfigs_ReportsBrokerConfigs_WhenResourceIsThisBroker(short version)
    {
        await using TestBroker broker = TestBroker.Start(new Dictionary<string, string>
        {
            ["num.network.threads"] = "5",
            ["delegation.token.secret.key"] = "hunter2",
        });
        await using TestClient client = broker.Connect();

        var configs = await DescribeAsync(client, BrokerResource, "0", version, synonyms: version >= 1);

        var threads = configs["num.network.threads"];
        var brokerId = configs["broker.id"];
        var secret = configs["delegation.token.secret.key"];
        Assert.Equal(("5", false), (threads.Value, threads.ReadOnly));
        Assert.True(brokerId.ReadOnly);
        Assert.Equal((null, true), (secret.Value, secret.IsSensitive));
        if (version >= 1)
        {
            Assert.Equal(StaticSource, threads.ConfigSource);
            Assert.Equal([("num.network.threads", "5", StaticSource), ("num.network.threads", "3", DefaultSource)], threads.Synonyms.Select(s => (s.Name, s.Value, s.Source)));
            Assert.All(secret.Synonyms, s => Assert.Null(s.Value));
        }
        else
        {
            Assert.False(threads.IsDefault);
            Assert.True(configs["background.threads"].IsDefault);
        }
    }

    [Fact]
    public async Task DescribeConfigs_ListsNothing_WhenNoClusterDefaultIsSet()
    {
        await using TestBroker broker = TestBroker.Start();
        await using TestClient client = broker.Connect();

        Assert.Empty(await DescribeAsync(client, BrokerResource, string.Empty));
    }
}
