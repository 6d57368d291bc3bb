using KafkaSharp.Protocol;

namespace KafkaSharp.Broker.Groups;

public sealed partial class GroupCoordinator
{
    /// <summary>
    /// Runs every offsets.retention.check.interval.ms (Kafka's cleanupGroupMetadata): removes expired offsets with
    /// tombstones, and forgets Empty groups left with no offsets.
    /// </summary>
    internal void ExpireOffsets()
    {
        if (!_active)
        {
            return;
        }

        long now = NowMs;
        long retentionMs = _config().OffsetsRetentionMs;
        var tombstones = new Dictionary<int, List<(byte[] Key, byte[]? Value)>>();
        foreach (Group group in _groups.Values)
        {
            lock (group.Lock)
            {
                if (group.Is(GroupState.Dead))
                {
                    continue;
                }

                List<(byte[] Key, byte[]? Value)>? records = null;
                foreach (GroupTopicPartition tp in ExpiredOffsets(group, now, retentionMs))
                {
                    group.Offsets.Remove(tp);
                    (records ??= []).Add((GroupRecordCodec.OffsetCommitKey(group.GroupId, tp.Topic, tp.Partition), null));
                }

                if (group.Is(GroupState.Empty) && !group.HasOffsets)
                {
                    group.TransitionTo(GroupState.Dead, now);
                    _groups.TryRemove(KeyValuePair.Create(group.GroupId, group));

                    // A group that only stored offsets (generation 0) never wrote metadata, so needs no tombstone.
                    if (group.GenerationId > 0)
                    {
                        (records ??= []).Add((GroupRecordCodec.GroupMetadataKey(group.GroupId), null));
                    }
                }

                if (records is not null)
                {
                    (tombstones.TryGetValue(group.Partition, out var list) ? list : tombstones[group.Partition] = []).AddRange(records);
                }
            }
        }

        AppendTombstones(tombstones, "expired offsets");
    }

    /// <summary>
    /// A deleted topic's committed offsets go with it, in every group (Kafka's handleDeletedPartitions), so a topic
    /// re-created under the same name does not resume from the old offsets.
    /// </summary>
    internal void RemoveOffsetsOfDeletedTopics(IReadOnlyCollection<string> topics)
    {
        var deleted = new HashSet<string>(topics, StringComparer.Ordinal);
        var tombstones = new Dictionary<int, List<(byte[] Key, byte[]? Value)>>();
        foreach (Group group in _groups.Values)
        {
            lock (group.Lock)
            {
                foreach (GroupTopicPartition tp in group.Offsets.Keys.Where(tp => deleted.Contains(tp.Topic)).ToList())
                {
                    group.Offsets.Remove(tp);
                    (tombstones.TryGetValue(group.Partition, out var list) ? list : tombstones[group.Partition] = [])
                        .Add((GroupRecordCodec.OffsetCommitKey(group.GroupId, tp.Topic, tp.Partition), null));
                }
            }
        }

        AppendTombstones(tombstones, "offsets of deleted topics");
    }

    private void AppendTombstones(Dictionary<int, List<(byte[] Key, byte[]? Value)>> tombstones, string what)
    {
        foreach ((int partition, List<(byte[] Key, byte[]? Value)> records) in tombstones)
        {
            ErrorCode error = _writer.Append(partition, records, isOffsetCommit: false, out _);
            if (error != ErrorCode.None)
            {
                Log.TombstonesNotWritten(_logger, $"{what} in partition {partition}", error);
            }
        }
    }

    /// <summary>
    /// Kafka 2.1+ retention (KIP-211): an Empty group's offsets expire retention after it became Empty; a Stable
    /// consumer group's offsets of topics it no longer subscribes to expire retention after their commit; a group
    /// that only stores offsets expires each retention after its commit. An offset committed with an explicit
    /// expire timestamp (v2–v4 retention_time_ms) expires then. Offsets with a commit in flight never expire.
    /// </summary>
    private static List<GroupTopicPartition> ExpiredOffsets(Group group, long now, long retentionMs)
    {
        Func<CommittedOffset, long>? baseTimestamp;
        HashSet<string>? keep = null;
        if (group.ProtocolType is not null && group.Is(GroupState.Empty))
        {
            baseTimestamp = o => group.CurrentStateTimestampMs >= 0 ? group.CurrentStateTimestampMs : o.CommitTimestamp;
        }
        else if (group.ProtocolType == "consumer" && group.SubscribedTopics is not null && group.Is(GroupState.Stable))
        {
            baseTimestamp = o => o.CommitTimestamp;
            keep = group.SubscribedTopics;
        }
        else if (group.ProtocolType is null)
        {
            baseTimestamp = o => o.CommitTimestamp;
        }
        else
        {
            return [];
        }

        var expired = new List<GroupTopicPartition>();
        foreach ((GroupTopicPartition tp, CommittedOffset offset) in group.Offsets)
        {
            if (keep is not null && keep.Contains(tp.Topic) || group.PendingOffsetCommits.ContainsKey(tp))
            {
                continue;
            }

            bool isExpired = offset.ExpireTimestamp >= 0 ? now >= offset.ExpireTimestamp : now - baseTimestamp(offset) >= retentionMs;
            if (isExpired)
            {
                expired.Add(tp);
            }
        }

        return expired;
    }
}
