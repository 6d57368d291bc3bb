using KafkaSharp.Broker.Cluster;
using KafkaSharp.Broker.ZooKeeper.Layout;
using KafkaSharp.Protocol;
using KafkaSharp.Protocol.Messages;

namespace KafkaSharp.Broker.ZooKeeper.Controller;

/// <summary>One partition as the controller knows it after a pass: assignment (with a reassignment's extra replicas) and state.</summary>
internal sealed record PartitionSnapshot(
    string Topic,
    int Partition,
    Guid TopicId,
    IReadOnlyList<int> Replicas,
    IReadOnlyList<int> Adding,
    IReadOnlyList<int> Removing,
    LeaderAndIsr State)
{
    /// <summary>Whether a broker must hear about this partition again: anything it carries differs.</summary>
    public bool SameAs(PartitionSnapshot other) =>
        TopicId == other.TopicId
        && State.Leader == other.State.Leader
        && State.LeaderEpoch == other.State.LeaderEpoch
        && State.ZkVersion == other.State.ZkVersion
        && State.Isr.SequenceEqual(other.State.Isr)
        && Replicas.SequenceEqual(other.Replicas)
        && Adding.SequenceEqual(other.Adding)
        && Removing.SequenceEqual(other.Removing);
}

/// <summary>One StopReplica entry: Kafka's leader epoch -2 (EpochDuringDelete) marks a deleted topic.</summary>
internal sealed record StopReplicaEntry(string Topic, int Partition, int LeaderEpoch, bool Delete);

/// <summary>
/// A request from the controller to one broker, made with the controller's id and epoch and the target's broker epoch
/// at the time it was queued (so a deposed controller's queued requests carry its old epoch), and built for whatever
/// version the connection negotiates when it is sent.
/// </summary>
internal abstract class ControllerRequest(int controllerId, int controllerEpoch, long brokerEpoch)
{
    public int ControllerId => controllerId;

    public int ControllerEpoch => controllerEpoch;

    public long BrokerEpoch => brokerEpoch;

    /// <summary>An empty request of the right API, to negotiate its version.</summary>
    public abstract IApiMessage Template { get; }

    public abstract IApiMessage Build(short version);

    /// <summary>The top-level error and the partition errors worth a log line.</summary>
    public abstract (ErrorCode Error, IReadOnlyList<string> PartitionErrors) Errors(IApiMessage response);

    /// <summary>Called with the broker's answer once it came without a top-level error.</summary>
    public virtual void Answered(IApiMessage response)
    {
    }

    public abstract string Describe();

    public override string ToString() => Describe();
}

/// <summary>LeaderAndIsr (v0–7): the partitions the target hosts, their leader, ISR and replicas; the leaders' endpoints.</summary>
internal sealed class LeaderAndIsrControllerRequest(
    int controllerId, int controllerEpoch, long brokerEpoch, bool full,
    IReadOnlyList<(PartitionSnapshot Partition, bool IsNew)> partitions, IReadOnlyList<BrokerNode> leaders, string listener)
    : ControllerRequest(controllerId, controllerEpoch, brokerEpoch)
{
    public override IApiMessage Template { get; } = new LeaderAndIsrRequest();

    public override IApiMessage Build(short version)
    {
        var request = new LeaderAndIsrRequest
        {
            ControllerId = ControllerId,
            ControllerEpoch = ControllerEpoch,
            BrokerEpoch = BrokerEpoch,

            // v5+: FULL (1) when every partition the broker hosts is included (Kafka: on controller failover and
            // broker start-up), INCREMENTAL (0) otherwise.
            Type = (sbyte)(full && version >= 5 ? 1 : 0),
        };
        var byTopic = new Dictionary<string, LeaderAndIsrRequest.LeaderAndIsrTopicState>(StringComparer.Ordinal);
        foreach ((PartitionSnapshot p, bool isNew) in partitions)
        {
            var state = new LeaderAndIsrRequest.LeaderAndIsrPartitionState
            {
                TopicName = p.Topic,
                PartitionIndex = p.Partition,
                ControllerEpoch = p.State.ControllerEpoch,
                Leader = p.State.Leader,
                LeaderEpoch = p.State.LeaderEpoch,
                Isr = [.. p.State.Isr],
                PartitionEpoch = p.State.ZkVersion,
                Replicas = [.. p.Replicas],
                AddingReplicas = [.. p.Adding],
                RemovingReplicas = [.. p.Removing],
                IsNew = isNew,
            };
            if (version < 2)
            {
                request.UngroupedPartitionStates.Add(state);
                continue;
            }

            if (!byTopic.TryGetValue(p.Topic, out LeaderAndIsrRequest.LeaderAndIsrTopicState? topic))
            {
                byTopic[p.Topic] = topic = new LeaderAndIsrRequest.LeaderAndIsrTopicState { TopicName = p.Topic, TopicId = p.TopicId };
                request.TopicStates.Add(topic);
            }

            topic.PartitionStates.Add(state);
        }

        foreach (BrokerNode leader in leaders)
        {
            if (leader.EndpointFor(listener) is { } endpoint)
            {
                request.LiveLeaders.Add(new LeaderAndIsrRequest.LeaderAndIsrLiveLeader { BrokerId = leader.Id, HostName = endpoint.Host, Port = endpoint.Port });
            }
        }

        return request;
    }

    public override (ErrorCode, IReadOnlyList<string>) Errors(IApiMessage response)
    {
        var r = (LeaderAndIsrResponse)response;
        var failed = new List<string>();
        foreach (LeaderAndIsrResponse.LeaderAndIsrPartitionError e in r.PartitionErrors)
        {
            AddIfFailed(failed, e.TopicName, e.PartitionIndex, e.ErrorCode);
        }

        foreach (LeaderAndIsrResponse.LeaderAndIsrTopicError topic in r.Topics)
        {
            string name = partitions.FirstOrDefault(p => p.Partition.TopicId == topic.TopicId).Partition?.Topic ?? KafkaUuid.ToString(topic.TopicId);
            foreach (LeaderAndIsrResponse.LeaderAndIsrPartitionError e in topic.PartitionErrors)
            {
                AddIfFailed(failed, name, e.PartitionIndex, e.ErrorCode);
            }
        }

        return ((ErrorCode)r.ErrorCode, failed);
    }

    public override string Describe() => $"LeaderAndIsr ({partitions.Count} partitions{(full ? ", full" : "")})";

    /// <summary>
    /// A partition whose leader epoch the broker already holds answers STALE_CONTROLLER_EPOCH (a new controller
    /// resending the current state); not worth a warning.
    /// </summary>
    private static void AddIfFailed(List<string> failed, string topic, int partition, short error)
    {
        if (error != 0 && (ErrorCode)error != ErrorCode.StaleControllerEpoch)
        {
            failed.Add($"{topic}-{partition}: {(ErrorCode)error}");
        }
    }
}

/// <summary>
/// UpdateMetadata (v0–8): the live brokers and the states of the given partitions; a deleted partition goes with leader
/// -2 (Kafka's LeaderDuringDelete), which removes it from the receiver's metadata.
/// </summary>
internal sealed class UpdateMetadataControllerRequest(
    int controllerId, int controllerEpoch, long brokerEpoch, bool full,
    IReadOnlyList<BrokerNode> liveBrokers, IReadOnlyList<PartitionSnapshot> partitions, IReadOnlyList<(string Topic, int Partition)> deleted)
    : ControllerRequest(controllerId, controllerEpoch, brokerEpoch)
{
    public override IApiMessage Template { get; } = new UpdateMetadataRequest();

    public override IApiMessage Build(short version)
    {
        var request = new UpdateMetadataRequest
        {
            ControllerId = ControllerId,
            ControllerEpoch = ControllerEpoch,
            BrokerEpoch = BrokerEpoch,
            Type = (sbyte)(full && version >= 8 ? 1 : 0),
        };
        IReadOnlySet<int> live = liveBrokers.Select(b => b.Id).ToHashSet();
        var byTopic = new Dictionary<string, UpdateMetadataRequest.UpdateMetadataTopicState>(StringComparer.Ordinal);
        void Add(string topic, Guid topicId, UpdateMetadataRequest.UpdateMetadataPartitionState state)
        {
            if (version < 5)
            {
                request.UngroupedPartitionStates.Add(state);
                return;
            }

            if (!byTopic.TryGetValue(topic, out UpdateMetadataRequest.UpdateMetadataTopicState? entry))
            {
                byTopic[topic] = entry = new UpdateMetadataRequest.UpdateMetadataTopicState { TopicName = topic, TopicId = topicId };
                request.TopicStates.Add(entry);
            }

            entry.PartitionStates.Add(state);
        }

        foreach (PartitionSnapshot p in partitions)
        {
            Add(p.Topic, p.TopicId, new UpdateMetadataRequest.UpdateMetadataPartitionState
            {
                TopicName = p.Topic,
                PartitionIndex = p.Partition,
                ControllerEpoch = p.State.ControllerEpoch,
                Leader = p.State.Leader,
                LeaderEpoch = p.State.LeaderEpoch,
                Isr = [.. p.State.Isr],
                ZkVersion = p.State.ZkVersion,
                Replicas = [.. p.Replicas],
                OfflineReplicas = [.. p.Replicas.Where(r => !live.Contains(r))],
            });
        }

        foreach ((string topic, int partition) in deleted)
        {
            Add(topic, Guid.Empty, new UpdateMetadataRequest.UpdateMetadataPartitionState
            {
                TopicName = topic,
                PartitionIndex = partition,
                ControllerEpoch = ControllerEpoch,
                Leader = ControllerFedMetadataCache.LeaderDuringDelete,
            });
        }

        foreach (BrokerNode broker in liveBrokers)
        {
            var entry = new UpdateMetadataRequest.UpdateMetadataBroker { Id = broker.Id, Rack = broker.Rack };
            BrokerEndpoint? plaintext = broker.Endpoints.FirstOrDefault(e => e.SecurityProtocol == Configuration.SecurityProtocol.Plaintext);
            entry.V0Host = plaintext?.Host ?? "";
            entry.V0Port = plaintext?.Port ?? -1;
            foreach (BrokerEndpoint endpoint in broker.Endpoints)
            {
                entry.Endpoints.Add(new UpdateMetadataRequest.UpdateMetadataEndpoint
                {
                    Host = endpoint.Host,
                    Port = endpoint.Port,
                    Listener = endpoint.ListenerName,
                    SecurityProtocol = (short)endpoint.SecurityProtocol,
                });
            }

            request.LiveBrokers.Add(entry);
        }

        return request;
    }

    public override (ErrorCode, IReadOnlyList<string>) Errors(IApiMessage response) =>
        ((ErrorCode)((UpdateMetadataResponse)response).ErrorCode, []);

    public override string Describe() =>
        $"UpdateMetadata ({liveBrokers.Count} live brokers, {partitions.Count} partitions, {deleted.Count} deleted{(full ? ", full" : "")})";
}

/// <summary>StopReplica (v0–4): stop hosting partitions, deleting their logs when asked.</summary>
/// <param name="deleted">Told the partitions whose deletion the broker confirmed (Kafka's TopicDeletionManager waits for them).</param>
internal sealed class StopReplicaControllerRequest(
    int controllerId, int controllerEpoch, long brokerEpoch, IReadOnlyList<StopReplicaEntry> entries, Action<IReadOnlyList<(string Topic, int Partition)>>? deleted = null)
    : ControllerRequest(controllerId, controllerEpoch, brokerEpoch)
{
    public override IApiMessage Template { get; } = new StopReplicaRequest();

    public IReadOnlyList<StopReplicaEntry> Entries => entries;

    public override IApiMessage Build(short version)
    {
        if (version < 3 && entries.Select(e => e.Delete).Distinct().Count() > 1)
        {
            throw new InvalidOperationException("Before v3 a StopReplica has one delete flag; split the entries by it.");
        }

        var request = new StopReplicaRequest
        {
            ControllerId = ControllerId,
            ControllerEpoch = ControllerEpoch,
            BrokerEpoch = BrokerEpoch,
            DeletePartitions = version < 3 && entries.Count > 0 && entries[0].Delete, // one flag for all before v3
        };
        foreach (IGrouping<string, StopReplicaEntry> topic in entries.GroupBy(e => e.Topic, StringComparer.Ordinal))
        {
            if (version == 0)
            {
                request.UngroupedPartitions.AddRange(topic.Select(e => new StopReplicaRequest.StopReplicaPartitionV0 { TopicName = e.Topic, PartitionIndex = e.Partition }));
            }
            else if (version <= 2)
            {
                request.Topics.Add(new StopReplicaRequest.StopReplicaTopicV1 { Name = topic.Key, PartitionIndexes = [.. topic.Select(e => e.Partition)] });
            }
            else
            {
                request.TopicStates.Add(new StopReplicaRequest.StopReplicaTopicState
                {
                    TopicName = topic.Key,
                    PartitionStates = [.. topic.Select(e => new StopReplicaRequest.StopReplicaPartitionState
                    {
                        PartitionIndex = e.Partition,
                        LeaderEpoch = e.LeaderEpoch,
                        DeletePartition = e.Delete,
                    })],
                });
            }
        }

        return request;
    }

    public override (ErrorCode, IReadOnlyList<string>) Errors(IApiMessage response)
    {
        var r = (StopReplicaResponse)response;
        return ((ErrorCode)r.ErrorCode, [.. r.PartitionErrors.Where(e => e.ErrorCode != 0).Select(e => $"{e.TopicName}-{e.PartitionIndex}: {(ErrorCode)e.ErrorCode}")]);
    }

    public override void Answered(IApiMessage response)
    {
        if (deleted is null)
        {
            return;
        }

        var asked = entries.Where(e => e.Delete).Select(e => (e.Topic, e.Partition)).ToHashSet();
        List<(string Topic, int Partition)> confirmed = [.. ((StopReplicaResponse)response).PartitionErrors
            .Where(e => e.ErrorCode == 0)
            .Select(e => (e.TopicName, e.PartitionIndex))
            .Where(asked.Contains)];
        if (confirmed.Count > 0)
        {
            deleted(confirmed);
        }
    }

    public override string Describe() => $"StopReplica ({entries.Count} partitions, delete: {string.Join("/", entries.Select(e => e.Delete).Distinct())})";
}
