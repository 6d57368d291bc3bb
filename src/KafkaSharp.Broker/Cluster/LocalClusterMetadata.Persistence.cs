using System.Text.Json;
using KafkaSharp.Broker.Producers;

namespace KafkaSharp.Broker.Cluster;

public sealed partial class LocalClusterMetadata
{
    /// <summary>The entity name ZooKeeper uses for the cluster-wide default broker configs.</summary>
    private const string DefaultBrokerEntity = "<default>";

    private static (List<TopicState> Topics, DynamicBrokerConfigs BrokerConfigs, ProducerIdBlock? LatestBlock) Load(string path, int selfId)
    {
        if (!File.Exists(path))
        {
            return ([], DynamicBrokerConfigs.Empty, null);
        }

        StoredClusterState stored;
        try
        {
            using FileStream stream = File.OpenRead(path);
            stored = JsonSerializer.Deserialize(stream, StoredClusterStateContext.Default.StoredClusterState)
                ?? throw new InvalidDataException($"{path} is empty.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not valid cluster metadata: {e.Message}", e);
        }

        var topics = new List<TopicState>(stored.Topics.Count);
        foreach (StoredTopic topic in stored.Topics)
        {
            var partitions = new List<PartitionState>(topic.Partitions.Count);
            for (int i = 0; i < topic.Partitions.Count; i++)
            {
                StoredPartition p = topic.Partitions[i];
                partitions.Add(StateFor(selfId, i, p.Replicas, p.LeaderEpoch, p.PartitionEpoch));
            }

            topics.Add(new TopicState(topic.Name, KafkaUuid.Parse(topic.Id), partitions, new Dictionary<string, string>(topic.Configs, StringComparer.Ordinal)));
        }

        DynamicBrokerConfigs brokerConfigs = DynamicBrokerConfigs.Empty;
        foreach ((string entity, Dictionary<string, string> configs) in stored.BrokerConfigs)
        {
            int? brokerId = entity == DefaultBrokerEntity ? null
                : int.TryParse(entity, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out int id) ? id
                : throw new InvalidDataException($"{path} has broker configs for '{entity}', which is neither a broker id nor {DefaultBrokerEntity}.");
            brokerConfigs = brokerConfigs.With(brokerId, configs);
        }

        ProducerIdBlock? latestBlock = stored.LatestProducerIdBlock is { } block
            ? new ProducerIdBlock(block.Broker, block.BlockStart, checked((int)(block.BlockEnd - block.BlockStart + 1)))
            : null;
        return (topics, brokerConfigs, latestBlock);
    }

    /// <summary>Write to a temp file, fsync, rename over: a crash leaves the old or the new file, never a torn one.</summary>
    private static void Save(string path, ClusterImage image, ProducerIdBlock? latestBlock)
    {
        var stored = new StoredClusterState();
        if (latestBlock is { } block)
        {
            stored.LatestProducerIdBlock = new StoredProducerIdBlock { Broker = block.BrokerId, BlockStart = block.FirstId, BlockEnd = block.LastId };
        }

        foreach (TopicState topic in image.TopicsByName.Values)
        {
            stored.Topics.Add(new StoredTopic
            {
                Name = topic.Name,
                Id = KafkaUuid.ToString(topic.TopicId),
                Partitions = [.. topic.Partitions.Select(p => new StoredPartition
                {
                    Replicas = [.. p.Replicas],
                    LeaderEpoch = p.LeaderEpoch,
                    PartitionEpoch = p.PartitionEpoch,
                })],
                Configs = new Dictionary<string, string>(topic.Configs, StringComparer.Ordinal),
            });
        }

        if (image.BrokerConfigs.ClusterDefault.Count > 0)
        {
            stored.BrokerConfigs[DefaultBrokerEntity] = new Dictionary<string, string>(image.BrokerConfigs.ClusterDefault, StringComparer.Ordinal);
        }

        foreach ((int brokerId, IReadOnlyDictionary<string, string> configs) in image.BrokerConfigs.PerBroker)
        {
            stored.BrokerConfigs[brokerId.ToString(System.Globalization.CultureInfo.InvariantCulture)] = new Dictionary<string, string>(configs, StringComparer.Ordinal);
        }

        string temp = path + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            JsonSerializer.Serialize(stream, stored, StoredClusterStateContext.Default.StoredClusterState);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: true);
    }
}
