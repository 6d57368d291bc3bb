using System.Text.Json.Nodes;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using KafkaSharp.ClientCompat;

namespace KafkaSharp.Interop.Clients;

/// <summary>
/// Confluent.Kafka 2.15.1 in this process, on Debian's librdkafka 2.0.2 (see RdKafkaCompat). Admin calls whose
/// binding needs a newer librdkafka surface as EntryPointNotFoundException and are reported as unsupported.
/// </summary>
public sealed partial class ConfluentClient(string bootstrap) : IInteropClient
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    public string Name => "Confluent.Kafka";

    public async Task<JsonObject> StepAsync(string step, JsonObject arguments, CancellationToken cancellation)
    {
        RdKafkaCompat.EnsureInstalled();
        try
        {
            return step switch
            {
                "metadata" => Metadata(arguments),
                "create_topic" => await CreateTopicAsync(arguments),
                "delete_topic" => await DeleteTopicAsync(arguments),
                "describe_configs" => await DescribeConfigsAsync(arguments),
                "delete_records" => await DeleteRecordsAsync(arguments),
                "produce" => await ProduceAsync(arguments, cancellation),
                "consume" => await Task.Run(() => Consume(arguments, cancellation), cancellation),
                "offset_for_time" => OffsetForTime(arguments),
                "watermarks" => Watermarks(arguments),
                "list_groups" => ListGroups(),
                "describe_group" => DescribeGroup(arguments),
                "group_offsets" => GroupOffsets(arguments),
                _ => throw new StepUnsupportedException($"no step {step}"),
            };
        }
        catch (EntryPointNotFoundException e)
        {
            throw new StepUnsupportedException($"the Confluent.Kafka 2.15 binding needs a librdkafka newer than Debian's 2.0.2 here ({e.Message})");
        }
        catch (KafkaException e)
        {
            throw new StepFailedException($"{Name} {step}: {e.Error}", e.Error.IsBrokerError ? (int)e.Error.Code : null);
        }
    }

    public Task<IGroupMember> JoinGroupAsync(JsonObject arguments, CancellationToken cancellation)
    {
        RdKafkaCompat.EnsureInstalled();
        return Task.FromResult<IGroupMember>(ConfluentGroupMember.Start(Config<ConsumerConfig>(), arguments));
    }

    internal T Config<T>() where T : ClientConfig, new() => new()
    {
        BootstrapServers = bootstrap,
        BrokerAddressFamily = BrokerAddressFamily.V4,
        ClientId = "interop-confluent-dotnet",
    };

    private IAdminClient Admin() => new AdminClientBuilder(Config<AdminClientConfig>()).Build();

    private IConsumer<byte[]?, byte[]?> Consumer(Action<ConsumerConfig>? configure = null)
    {
        ConsumerConfig config = Config<ConsumerConfig>();
        config.GroupId = "interop-assign-only";
        config.EnableAutoCommit = false;
        config.AutoOffsetReset = AutoOffsetReset.Error;
        configure?.Invoke(config);
        return new ConsumerBuilder<byte[]?, byte[]?>(config).Build();
    }

    private JsonObject Metadata(JsonObject arguments)
    {
        using IAdminClient admin = Admin();
        Metadata md = admin.GetMetadata(Timeout);
        HashSet<string>? wanted = arguments["topics"] is JsonArray t ? [.. t.Select(n => n!.GetValue<string>())] : null;
        return new JsonObject
        {
            ["brokers"] = Json.Array(md.Brokers, b => new JsonObject { ["id"] = b.BrokerId, ["host"] = b.Host, ["port"] = b.Port }),
            ["controller"] = null,
            ["cluster_id"] = null,
            ["topics"] = Json.Array(md.Topics.Where(x => wanted is null || wanted.Contains(x.Topic)), x => new JsonObject
            {
                ["name"] = x.Topic,
                ["partitions"] = Json.Array(x.Partitions, p => new JsonObject
                {
                    ["partition"] = p.PartitionId, ["leader"] = p.Leader, ["replicas"] = Json.Array(p.Replicas, r => r),
                }),
            }),
        };
    }

    private async Task<JsonObject> CreateTopicAsync(JsonObject arguments)
    {
        using IAdminClient admin = Admin();
        var spec = new TopicSpecification
        {
            Name = arguments.Str("topic"),
            NumPartitions = arguments.Int("partitions"),
            ReplicationFactor = 1,
            Configs = arguments["configs"] is JsonObject c ? c.ToDictionary(kv => kv.Key, kv => kv.Value!.GetValue<string>()) : null,
        };
        try
        {
            await admin.CreateTopicsAsync([spec], new CreateTopicsOptions { OperationTimeout = Timeout, RequestTimeout = Timeout });
        }
        catch (CreateTopicsException e)
        {
            Error error = e.Results[0].Error;
            throw new StepFailedException($"{Name} create_topic: {error}", (int)error.Code);
        }

        return [];
    }

    private async Task<JsonObject> DeleteTopicAsync(JsonObject arguments)
    {
        using IAdminClient admin = Admin();
        try
        {
            await admin.DeleteTopicsAsync([arguments.Str("topic")], new DeleteTopicsOptions { OperationTimeout = Timeout, RequestTimeout = Timeout });
        }
        catch (DeleteTopicsException e)
        {
            Error error = e.Results[0].Error;
            throw new StepFailedException($"{Name} delete_topic: {error}", (int)error.Code);
        }

        return [];
    }

    private async Task<JsonObject> DescribeConfigsAsync(JsonObject arguments)
    {
        using IAdminClient admin = Admin();
        List<DescribeConfigsResult> results = await admin.DescribeConfigsAsync(
            [new ConfigResource { Type = ResourceType.Topic, Name = arguments.Str("topic") }],
            new DescribeConfigsOptions { RequestTimeout = Timeout });
        var configs = new JsonObject();
        foreach (ConfigEntryResult entry in results[0].Entries.Values.OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            configs[entry.Name] = entry.Value;
        }

        return new JsonObject { ["configs"] = configs };
    }

    private async Task<JsonObject> DeleteRecordsAsync(JsonObject arguments)
    {
        using IAdminClient admin = Admin();
        var target = new TopicPartitionOffset(arguments.Str("topic"), arguments.Int("partition"), arguments.Long("offset"));
        try
        {
            List<DeleteRecordsResult> results = await admin.DeleteRecordsAsync([target], new DeleteRecordsOptions { RequestTimeout = Timeout, OperationTimeout = Timeout });
            return new JsonObject { ["low_watermark"] = results[0].Offset.Value };
        }
        catch (DeleteRecordsException e)
        {
            Error error = e.Results[0].Error;
            throw new StepFailedException($"{Name} delete_records: {error}", (int)error.Code);
        }
    }

    private async Task<JsonObject> ProduceAsync(JsonObject arguments, CancellationToken cancellation)
    {
        ProducerConfig config = Config<ProducerConfig>();
        config.Acks = Acks.All;
        config.LingerMs = 5;
        config.MessageTimeoutMs = 20_000;
        config.MessageMaxBytes = 4 * 1024 * 1024;
        config.CompressionType = Enum.Parse<CompressionType>(arguments["codec"]?.GetValue<string>() ?? "none", ignoreCase: true);
        using IProducer<byte[]?, byte[]?> producer = new ProducerBuilder<byte[]?, byte[]?>(config).Build();
        string topic = arguments.Str("topic");
        var results = new JsonArray();
        foreach (JsonObject m in arguments["messages"]!.AsArray().Cast<JsonObject>())
        {
            var message = new Message<byte[]?, byte[]?> { Key = Json.Unhex(m["key"]), Value = Json.Unhex(m["value"]), Headers = [] };
            foreach (JsonArray header in m["headers"]?.AsArray().Cast<JsonArray>() ?? [])
            {
                message.Headers.Add(header[0]!.GetValue<string>(), Json.Unhex(header[1]));
            }

            if (m.OptionalLong("timestamp") is long ts)
            {
                message.Timestamp = new Timestamp(ts, TimestampType.CreateTime);
            }

            DeliveryResult<byte[]?, byte[]?> delivered = m.OptionalInt("partition") is int p
                ? await producer.ProduceAsync(new TopicPartition(topic, p), message, cancellation)
                : await producer.ProduceAsync(topic, message, cancellation);
            results.Add(new JsonObject
            {
                ["partition"] = delivered.Partition.Value, ["offset"] = delivered.Offset.Value, ["timestamp"] = delivered.Timestamp.UnixTimestampMs,
            });
        }

        return new JsonObject { ["results"] = results };
    }

    internal static JsonObject Record(ConsumeResult<byte[]?, byte[]?> r) => new()
    {
        ["partition"] = r.Partition.Value,
        ["offset"] = r.Offset.Value,
        ["key"] = Json.Hex(r.Message.Key),
        ["value"] = Json.Hex(r.Message.Value),
        ["headers"] = Json.Array(r.Message.Headers ?? [], h => new JsonArray(h.Key, Json.Hex(h.GetValueBytes()))),
        ["timestamp"] = r.Message.Timestamp.UnixTimestampMs,
    };

    private JsonObject Consume(JsonObject arguments, CancellationToken cancellation)
    {
        using IConsumer<byte[]?, byte[]?> consumer = Consumer(c =>
        {
            c.FetchWaitMaxMs = arguments.OptionalInt("max_wait_ms") ?? 500;
            c.MaxPartitionFetchBytes = 4 * 1024 * 1024;
        });
        consumer.Assign(new TopicPartitionOffset(arguments.Str("topic"), arguments.Int("partition"), arguments.Long("offset")));
        int count = arguments.Int("count");
        var records = new JsonArray();
        DateTime deadline = DateTime.UtcNow.AddMilliseconds(arguments.OptionalInt("timeout_ms") ?? 20_000);
        while (records.Count < count && DateTime.UtcNow < deadline && !cancellation.IsCancellationRequested)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { IsPartitionEOF: false } r)
            {
                records.Add(Record(r));
            }
        }

        consumer.Close();
        return new JsonObject { ["records"] = records };
    }

    private JsonObject OffsetForTime(JsonObject arguments)
    {
        using IConsumer<byte[]?, byte[]?> consumer = Consumer();
        var query = new TopicPartitionTimestamp(arguments.Str("topic"), arguments.Int("partition"), new Timestamp(arguments.Long("timestamp"), TimestampType.CreateTime));
        TopicPartitionOffset found = consumer.OffsetsForTimes([query], Timeout)[0];
        return new JsonObject { ["offset"] = found.Offset.Value };
    }

    private JsonObject Watermarks(JsonObject arguments)
    {
        using IConsumer<byte[]?, byte[]?> consumer = Consumer();
        WatermarkOffsets w = consumer.QueryWatermarkOffsets(new TopicPartition(arguments.Str("topic"), arguments.Int("partition")), Timeout);
        return new JsonObject { ["low"] = w.Low.Value, ["high"] = w.High.Value };
    }

    private JsonObject ListGroups()
    {
        using IAdminClient admin = Admin();
        return new JsonObject
        {
            ["groups"] = Json.Array(admin.ListGroups(Timeout), g => new JsonObject { ["group"] = g.Group, ["protocol_type"] = g.ProtocolType }),
        };
    }

    private JsonObject DescribeGroup(JsonObject arguments)
    {
        using IAdminClient admin = Admin();
        GroupInfo group = admin.ListGroup(arguments.Str("group"), Timeout)
            ?? throw new StepFailedException($"{Name} describe_group: no answer", null);
        if (group.Error.IsError)
        {
            throw new StepFailedException($"{Name} describe_group: {group.Error}", (int)group.Error.Code);
        }

        return new JsonObject
        {
            ["state"] = group.State,
            ["protocol_type"] = group.ProtocolType,
            ["protocol"] = group.Protocol,
            ["members"] = Json.Array(group.Members, m => new JsonObject
            {
                ["client_id"] = m.ClientId,
                ["client_host"] = m.ClientHost,
                ["partitions"] = Json.Array(MemberAssignment.Partitions(m.MemberAssignment), p => p),
            }),
        };
    }

    private JsonObject GroupOffsets(JsonObject arguments)
    {
        string topic = arguments.Str("topic");
        using IConsumer<byte[]?, byte[]?> consumer = Consumer(c => c.GroupId = arguments.Str("group"));
        using IAdminClient admin = Admin();
        int partitions = admin.GetMetadata(topic, Timeout).Topics[0].Partitions.Count;
        List<TopicPartitionOffset> committed = consumer.Committed(Enumerable.Range(0, partitions).Select(p => new TopicPartition(topic, p)), Timeout);
        var offsets = new JsonObject();
        foreach (TopicPartitionOffset o in committed.Where(o => o.Offset.Value >= 0))
        {
            offsets[o.Partition.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)] = o.Offset.Value;
        }

        return new JsonObject { ["offsets"] = offsets };
    }
}
