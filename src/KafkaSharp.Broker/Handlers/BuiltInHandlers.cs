using KafkaSharp.Broker.Admin;
using KafkaSharp.Broker.Fetch;
using KafkaSharp.Broker.Requests;
using Microsoft.Extensions.Logging;

namespace KafkaSharp.Broker.Handlers;

/// <summary>
/// The handlers every broker registers when it starts, built once its services (metadata, logs, partitions, topics)
/// exist. A feature adds its handler with one line here; ApiVersions then advertises it. A handler registered on
/// <see cref="KafkaBroker.Handlers"/> before <see cref="KafkaBroker.Start"/> wins over the one here (tests use that).
/// </summary>
internal static class BuiltInHandlers
{
    public static IEnumerable<IRequestHandler> Create(KafkaBroker broker)
    {
        yield return new ApiVersionsHandler(broker.Handlers);
        yield return new MetadataHandler(broker.Metadata, broker.Topics, () => broker.Config);
        yield return new CreateTopicsHandler(broker.Topics);
        yield return new DeleteTopicsHandler(broker.Metadata, broker.Topics, () => broker.Config);
        yield return new CreatePartitionsHandler(broker.Topics);
        yield return new DescribeConfigsHandler(broker.ConfigAdmin);
        yield return new AlterConfigsHandler(broker.ConfigAdmin);
        yield return new IncrementalAlterConfigsHandler(broker.ConfigAdmin);
        yield return new DescribeClusterHandler(broker.Metadata);
        yield return new DescribeLogDirsHandler(new LogDirDescriber(broker.Logs));
        if (broker.ProducerIds is { } producerIds)
        {
            yield return new InitProducerIdHandler(producerIds, () => broker.Config.TransactionMaxTimeoutMs, broker.LoggerFactory.CreateLogger<InitProducerIdHandler>());
        }

        yield return new ProduceHandler(broker.Replicas, broker.LoggerFactory.CreateLogger<ProduceHandler>());
        yield return new FetchHandler(broker.Replicas, new FetchSessionCache(broker.Config.GetInt("max.incremental.fetch.session.cache.slots")), () => broker.Config);
        yield return new ListOffsetsHandler(broker.Replicas);
        yield return new DescribeProducersHandler(broker.Replicas);
        yield return new OffsetForLeaderEpochHandler(broker.Replicas);
        yield return new DeleteRecordsHandler(broker.Replicas);
        yield return new FindCoordinatorHandler(broker.Metadata, broker.Topics, broker.Groups);
        yield return new JoinGroupHandler(broker.Groups);
        yield return new SyncGroupHandler(broker.Groups);
        yield return new HeartbeatHandler(broker.Groups);
        yield return new LeaveGroupHandler(broker.Groups);
        yield return new OffsetCommitHandler(broker.Metadata, broker.Groups);
        yield return new OffsetFetchHandler(broker.Groups);
        yield return new ListGroupsHandler(broker.Groups);
        yield return new DescribeGroupsHandler(broker.Groups);
        yield return new DeleteGroupsHandler(broker.Groups);
        yield return new OffsetDeleteHandler(broker.Metadata, broker.Groups);
        yield return new LeaderAndIsrHandler(broker.ControllerFed, broker.Logs);
        yield return new UpdateMetadataHandler(broker.ControllerFed);
        yield return new StopReplicaHandler(broker.ControllerFed, broker.Partitions);
    }
}
