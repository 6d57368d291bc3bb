using KafkaSharp.Broker.Cluster;
using KafkaSharp.Broker.Partitions;
using KafkaSharp.Protocol;
using KafkaSharp.Protocol.Messages;
using KafkaSharp.Storage.Errors;
using Microsoft.Extensions.Logging;

namespace KafkaSharp.Broker.Groups;

public sealed partial class GroupCoordinator
{
    private void OnMetadataChanged(ClusterImage before, ClusterImage after)
    {
        OnLeadershipMayHaveChanged(after);
        List<string> deleted = [.. before.TopicsByName.Values.Where(t => !after.TopicsById.ContainsKey(t.TopicId)).Select(t => t.Name)];
        if (deleted.Count > 0)
        {
            _ = Task.Run(() => RemoveOffsetsOfDeletedTopics(deleted));
        }
    }

    /// <summary>
    /// Becomes coordinator of every <c>__consumer_offsets</c> partition this broker now leads (replaying it) and
    /// stops coordinating the ones it no longer leads (Kafka's onElection / onResignation).
    /// </summary>
    private void OnLeadershipMayHaveChanged(ClusterImage image)
    {
        if (!_active)
        {
            return;
        }

        var led = new HashSet<int>();
        if (image.TryGetTopic(InternalTopics.ConsumerOffsets, out TopicState? topic))
        {
            foreach (PartitionState partition in topic.Partitions)
            {
                if (partition.Leader == _brokerId)
                {
                    led.Add(partition.Partition);
                }
            }
        }

        foreach (int partition in _owned.All)
        {
            if (!led.Contains(partition))
            {
                Unload(partition);
            }
        }

        foreach (int partition in led)
        {
            long epoch = _owned.BeginLoad(partition);
            if (epoch < 0)
            {
                continue;
            }

            // An empty partition (a new topic) is ready at once; anything else is replayed off the metadata thread.
            if (_replicas.TryGetLeader(InternalTopics.ConsumerOffsets, partition, -1, out HostedPartition? hosted) == ErrorCode.None
                && hosted is not null && hosted.Log.LogEndOffset == hosted.Log.LogStartOffset)
            {
                _owned.CompleteLoad(partition, epoch);
            }
            else
            {
                _ = Task.Run(() => Load(partition, epoch));
            }
        }
    }

    private void Load(int partition, long epoch)
    {
        long started = NowMs;
        GroupLoader.Loaded loaded;
        try
        {
            ErrorCode error = _replicas.TryGetLeader(InternalTopics.ConsumerOffsets, partition, -1, out HostedPartition? hosted);
            if (error != ErrorCode.None || hosted is null)
            {
                Log.LoadSkipped(_logger, partition, error);
                _owned.Remove(partition);
                return;
            }

            loaded = GroupLoader.Load(hosted.Log, _config().OffsetsLoadBufferSize, CancellationToken.None);
        }
        catch (Exception e) when (e is StorageException or IOException or KafkaProtocolException or InvalidOperationException)
        {
            Log.LoadFailed(_logger, e, partition);
            _owned.Remove(partition);
            return;
        }

        if (!_owned.IsCurrentLoad(partition, epoch))
        {
            return; // given up while loading
        }

        int groups = 0;
        var after = new Deferred();
        foreach (string groupId in loaded.Groups.Keys.Union(loaded.Offsets.Keys).ToList())
        {
            GroupMetadataValue? value = loaded.Groups.GetValueOrDefault(groupId);
            Dictionary<GroupTopicPartition, CommittedOffset>? offsets = loaded.Offsets.GetValueOrDefault(groupId);
            if (value is null && (offsets is null || offsets.Count == 0))
            {
                continue; // deleted
            }

            Group group = Materialize(groupId, partition, value, offsets);
            _groups[groupId] = group;
            groups++;
            lock (group.Lock)
            {
                foreach (GroupMember member in group.Members)
                {
                    ScheduleSessionExpiry(group, member, member.SessionTimeoutMs);
                }

                if (group.Size > _config().MaxSize)
                {
                    PrepareRebalance(group, $"freshly loaded group is over capacity ({_config().MaxSize}); rebalancing so consumers can commit", after);
                }
            }
        }

        after.RunInBackground();
        _owned.CompleteLoad(partition, epoch);
        Log.Loaded(_logger, partition, groups, NowMs - started);
    }

    /// <summary>A group as its last records describe it: Stable with its members, or Empty (Kafka's GroupMetadata.loadGroup).</summary>
    private Group Materialize(string groupId, int partition, GroupMetadataValue? value, Dictionary<GroupTopicPartition, CommittedOffset>? offsets)
    {
        bool hasMembers = value is { Members.Count: > 0 };
        var group = new Group(groupId, partition, hasMembers ? GroupState.Stable : GroupState.Empty, value?.CurrentStateTimestamp ?? -1);
        if (value is not null)
        {
            group.GenerationId = value.Generation;
            group.ProtocolType = value.ProtocolType.Length > 0 ? value.ProtocolType : null;
            group.ProtocolName = value.Protocol;
            foreach (GroupMetadataValue.MemberMetadata stored in value.Members)
            {
                var member = new GroupMember(stored.MemberId, stored.GroupInstanceId, stored.ClientId, stored.ClientHost,
                    stored.RebalanceTimeout, stored.SessionTimeout, value.ProtocolType, [(value.Protocol ?? "", stored.Subscription)])
                {
                    Assignment = stored.Assignment,
                };
                group.Add(member, awaitingJoin: null);
            }

            group.LeaderId = hasMembers ? value.Leader : null;
            group.SubscribedTopics = group.ComputeSubscribedTopics();
        }

        if (offsets is not null)
        {
            foreach ((GroupTopicPartition tp, CommittedOffset offset) in offsets)
            {
                group.Offsets[tp] = offset;
            }
        }

        return group;
    }

    /// <summary>Stops coordinating a partition's groups: they go Dead and waiting requests answer NOT_COORDINATOR.</summary>
    private void Unload(int partition)
    {
        _owned.Remove(partition);
        foreach (Group group in _groups.Values)
        {
            if (group.Partition != partition)
            {
                continue;
            }

            lock (group.Lock)
            {
                GroupState previous = group.State;
                group.TransitionTo(GroupState.Dead, NowMs);
                foreach (GroupMember member in group.Members.ToList())
                {
                    if (previous == GroupState.PreparingRebalance)
                    {
                        group.CompleteJoin(member, JoinResult.Failed(member.MemberId, ErrorCode.NotCoordinator));
                    }

                    member.CompleteSync(SyncResult.Failed(ErrorCode.NotCoordinator));
                    member.SessionTimer?.Dispose();
                    member.SessionTimer = null;
                }

                foreach (ITimer timer in group.PendingMembers.Values)
                {
                    timer.Dispose();
                }

                group.PendingMembers.Clear();
                ++group.JoinTimerToken;
                group.JoinTimer?.Dispose();
                CancelSyncExpiry(group);
            }

            _groups.TryRemove(KeyValuePair.Create(group.GroupId, group));
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 906, Level = LogLevel.Information, Message = "Loaded __consumer_offsets-{Partition}: {Groups} groups in {Ms} ms")]
        public static partial void Loaded(ILogger logger, int partition, int groups, long ms);

        [LoggerMessage(EventId = 907, Level = LogLevel.Error, Message = "Could not load __consumer_offsets-{Partition}")]
        public static partial void LoadFailed(ILogger logger, Exception exception, int partition);

        [LoggerMessage(EventId = 908, Level = LogLevel.Warning, Message = "Not loading __consumer_offsets-{Partition}: {Error}")]
        public static partial void LoadSkipped(ILogger logger, int partition, ErrorCode error);
    }
}
