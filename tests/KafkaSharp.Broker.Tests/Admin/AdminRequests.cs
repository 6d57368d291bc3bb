using System.Buffers;
using KafkaSharp.Broker.Tests.Support;
using KafkaSharp.Broker.Topics;
using KafkaSharp.Protocol;
using KafkaSharp.Protocol.Messages;
using KafkaSharp.Protocol.Records;
using KafkaSharp.Storage.Log;

namespace KafkaSharp.Broker.Tests.Admin;

/// <summary>Request builders and set-up shared by the admin API tests.</summary>
internal static class AdminRequests
{
    public const sbyte TopicResource = 2;
    public const sbyte BrokerResource = 4;
    public const sbyte BrokerLoggerResource = 8;

    public static async Task CreateTopicAsync(TestBroker broker, string name, int partitions = 1, params (string Key, string Value)[] configs)
    {
        TopicCreationResult result = await broker.Broker.Topics.CreateTopicAsync(
            new TopicCreation(name, partitions, Configs: configs.ToDictionary(c => c.Key, c => (string?)c.Value, StringComparer.Ordinal)),
            validateOnly: false);
        Assert.Equal(ErrorCode.None, result.Error);
    }

    public static DescribeConfigsRequest Describe(sbyte type, string name, bool synonyms = false, params string[] keys) => new()
    {
        Resources = [new DescribeConfigsRequest.DescribeConfigsResource { ResourceType = type, ResourceName = name, ConfigurationKeys = keys.Length == 0 ? null : [.. keys] }],
        IncludeSynonyms = synonyms,
    };

    /// <summary>The single resource's configs, checked to have no error.</summary>
    public static async Task<Dictionary<string, DescribeConfigsResponse.DescribeConfigsResourceResult>> DescribeAsync(
        TestClient client, sbyte type, string name, short version = 4, bool synonyms = true)
    {
        var response = await client.RequestAsync<DescribeConfigsResponse>(Describe(type, name, synonyms), version);
        DescribeConfigsResponse.DescribeConfigsResult result = Assert.Single(response.Results);
        Assert.Equal((short)ErrorCode.None, result.ErrorCode);
        return result.Configs.ToDictionary(c => c.Name, StringComparer.Ordinal);
    }

    public static AlterConfigsRequest Alter(sbyte type, string name, bool validateOnly = false, params (string Key, string? Value)[] configs) => new()
    {
        Resources =
        [
            new AlterConfigsRequest.AlterConfigsResource
            {
                ResourceType = type,
                ResourceName = name,
                Configs = [.. configs.Select(c => new AlterConfigsRequest.AlterableConfig { Name = c.Key, Value = c.Value })],
            },
        ],
        ValidateOnly = validateOnly,
    };

    public static IncrementalAlterConfigsRequest Incremental(sbyte type, string name, bool validateOnly = false, params (string Key, sbyte Operation, string? Value)[] configs) => new()
    {
        Resources =
        [
            new IncrementalAlterConfigsRequest.AlterConfigsResource
            {
                ResourceType = type,
                ResourceName = name,
                Configs = [.. configs.Select(c => new IncrementalAlterConfigsRequest.AlterableConfig { Name = c.Key, ConfigOperation = c.Operation, Value = c.Value })],
            },
        ],
        ValidateOnly = validateOnly,
    };

    /// <summary>Sends an IncrementalAlterConfigs with one resource and returns its result.</summary>
    public static async Task<IncrementalAlterConfigsResponse.AlterConfigsResourceResponse> IncrementalAsync(
        TestClient client, sbyte type, string name, params (string Key, sbyte Operation, string? Value)[] configs)
    {
        var response = await client.RequestAsync<IncrementalAlterConfigsResponse>(Incremental(type, name, false, configs), 1);
        return Assert.Single(response.Responses);
    }

    /// <summary>Appends one batch straight to the log (the Produce handler lives on another branch).</summary>
    public static AppendResult AppendBatch(PartitionLog log, int records, int valueSize)
    {
        using var builder = new RecordBatchBuilder();
        for (int i = 0; i < records; i++)
        {
            builder.Append(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), null, new byte[valueSize]);
        }

        var buffer = new ArrayBufferWriter<byte>();
        builder.WriteTo(buffer);
        byte[] bytes = buffer.WrittenSpan.ToArray();
        return log.Append(bytes, leaderEpoch: 0);
    }
}
