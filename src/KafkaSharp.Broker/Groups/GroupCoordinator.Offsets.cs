using KafkaSharp.Protocol;

namespace KafkaSharp.Broker.Groups;

public sealed partial class GroupCoordinator
{
    /// <summary>
    /// OffsetCommit (Kafka's handleCommitOffsets and storeOffsets): by a member of the current generation, or by a
    /// simple consumer (generation -1, no member id) while the group is Empty or does not exist. The records are
    /// appended to <c>__consumer_offsets</c> before the commit is acknowledged.
    /// </summary>
    /// <param name="retentionTimeMs">v2–v4's retention_time_ms; -1 uses offsets.retention.minutes after the group empties.</param>
    public async Task<Dictionary<GroupTopicPartition, ErrorCode>> CommitOffsetsAsync(string groupId, string memberId, string? groupInstanceId,
        int generationId, long retentionTimeMs, IReadOnlyList<OffsetCommitEntry> offsets)
    {
        ArgumentNullException.ThrowIfNull(offsets);
        var results = new Dictionary<GroupTopicPartition, ErrorCode>();
        ErrorCode error = ValidateGroupStatus(groupId, allowEmptyId: true);
        if (error != ErrorCode.None)
        {
            return Fill(results, offsets, error);
        }

        Group? group = GetGroup(groupId);
        if (group is null)
        {
            if (generationId >= 0)
            {
                // A generation for a group that does not exist: from an older generation, reject.
                return Fill(results, offsets, ErrorCode.IllegalGeneration);
            }

            group = GetOrCreateLiveGroup(groupId);
        }

        long now = NowMs;
        long expireTimestamp = retentionTimeMs == -1 ? -1 : now + retentionTimeMs;
        int maxMetadata = _config().OffsetMetadataMaxBytes;
        var accepted = new List<(GroupTopicPartition Partition, CommittedOffset Offset)>(offsets.Count);
        var records = new List<(byte[] Key, byte[]? Value)>(offsets.Count);
        lock (group.Lock)
        {
            error = ValidateOffsetCommit(group, generationId, memberId, groupInstanceId);
            if (error == ErrorCode.None && group.Is(GroupState.CompletingRebalance))
            {
                // The member has the new generation from JoinGroup but no assignment yet.
                error = ErrorCode.RebalanceInProgress;
            }

            if (error != ErrorCode.None)
            {
                return Fill(results, offsets, error);
            }

            if (group.State is GroupState.Stable or GroupState.PreparingRebalance)
            {
                // A commit counts as a heartbeat; during PreparingRebalance the heartbeat response tells about it.
                GroupMember member = group.Member(memberId);
                ScheduleSessionExpiry(group, member, member.SessionTimeoutMs);
            }

            foreach (OffsetCommitEntry entry in offsets)
            {
                var tp = new GroupTopicPartition(entry.Topic, entry.Partition);
                string metadata = entry.Metadata ?? "";
                if (metadata.Length > maxMetadata)
                {
                    results[tp] = ErrorCode.OffsetMetadataTooLarge;
                    continue;
                }

                var committed = new CommittedOffset(entry.Offset, entry.LeaderEpoch, metadata,
                    entry.CommitTimestamp == -1 ? now : entry.CommitTimestamp, expireTimestamp);
                accepted.Add((tp, committed));
                records.Add((GroupRecordCodec.OffsetCommitKey(groupId, entry.Topic, entry.Partition), GroupRecordCodec.OffsetCommitValue(committed)));
                group.PendingOffsetCommits[tp] = group.PendingOffsetCommits.GetValueOrDefault(tp) + 1;
            }
        }

        if (accepted.Count == 0)
        {
            return results;
        }

        (ErrorCode appendError, long firstOffset) = await AppendAsync(group.Partition, records, isOffsetCommit: true).ConfigureAwait(false);
        lock (group.Lock)
        {
            for (int i = 0; i < accepted.Count; i++)
            {
                (GroupTopicPartition tp, CommittedOffset committed) = accepted[i];
                int pending = group.PendingOffsetCommits.GetValueOrDefault(tp) - 1;
                if (pending <= 0)
                {
                    group.PendingOffsetCommits.Remove(tp);
                }
                else
                {
                    group.PendingOffsetCommits[tp] = pending;
                }

                results[tp] = appendError;
                if (appendError == ErrorCode.None && !group.Is(GroupState.Dead))
                {
                    // Two commits may race to the log: the one appended later wins, as replay would decide.
                    long recordOffset = firstOffset + i;
                    if (!group.Offsets.TryGetValue(tp, out CommittedOffset? existing) || existing.RecordOffset < recordOffset)
                    {
                        group.Offsets[tp] = committed with { RecordOffset = recordOffset };
                    }
                }
            }
        }

        return results;
    }

    /// <summary>Kafka's validateOffsetCommit for non-transactional commits.</summary>
    private static ErrorCode ValidateOffsetCommit(Group group, int generationId, string memberId, string? groupInstanceId)
    {
        if (group.Is(GroupState.Dead))
        {
            return ErrorCode.CoordinatorNotAvailable;
        }

        if (generationId < 0 && group.Is(GroupState.Empty))
        {
            return ErrorCode.None; // admin tools and consumers without group management commit to an Empty group
        }

        if (generationId >= 0 || memberId.Length > 0 || groupInstanceId is not null)
        {
            ErrorCode error = ValidateCurrentMember(group, memberId, groupInstanceId);
            if (error != ErrorCode.None)
            {
                return error;
            }

            return generationId != group.GenerationId ? ErrorCode.IllegalGeneration : ErrorCode.None;
        }

        // Only members commit to a group that has members.
        return group.Is(GroupState.Empty) ? ErrorCode.None : ErrorCode.UnknownMemberId;
    }

    /// <summary>
    /// OffsetFetch for one group: the given partitions (or, when null, every partition with a committed offset).
    /// Offsets are returned whatever the group's state: groups may use Kafka only to store offsets.
    /// </summary>
    public (ErrorCode Error, List<FetchedOffset> Offsets) FetchOffsets(string groupId, bool requireStable, IReadOnlyList<GroupTopicPartition>? partitions)
    {
        ErrorCode error = ValidateGroupStatus(groupId, allowEmptyId: true);
        if (error != ErrorCode.None)
        {
            return (error, []);
        }

        var result = new List<FetchedOffset>();
        Group? group = GetGroup(groupId);
        if (group is null)
        {
            AddUnknown(result, partitions);
            return (ErrorCode.None, result);
        }

        lock (group.Lock)
        {
            if (group.Is(GroupState.Dead))
            {
                AddUnknown(result, partitions);
                return (ErrorCode.None, result);
            }

            IEnumerable<GroupTopicPartition> wanted = partitions ?? (IEnumerable<GroupTopicPartition>)[.. group.Offsets.Keys];
            foreach (GroupTopicPartition tp in wanted)
            {
                if (requireStable && HasPendingTransactionalOffsets(group, tp))
                {
                    result.Add(new FetchedOffset(tp.Topic, tp.Partition, -1, -1, "", ErrorCode.UnstableOffsetCommit));
                }
                else if (group.Offsets.TryGetValue(tp, out CommittedOffset? committed))
                {
                    result.Add(new FetchedOffset(tp.Topic, tp.Partition, committed.Offset, committed.LeaderEpoch, committed.Metadata, ErrorCode.None));
                }
                else
                {
                    result.Add(new FetchedOffset(tp.Topic, tp.Partition, -1, -1, "", ErrorCode.None));
                }
            }
        }

        return (ErrorCode.None, result);
    }

    /// <summary>
    /// require_stable (KIP-447): UNSTABLE_OFFSET_COMMIT while a transaction has offsets for the partition that are
    /// neither committed nor aborted. Transactional offset commits do not exist yet, so there are none; the
    /// transactions work fills this in.
    /// </summary>
    private static bool HasPendingTransactionalOffsets(Group group, GroupTopicPartition partition)
    {
        _ = group;
        _ = partition;
        return false;
    }

    /// <summary>
    /// OffsetDelete (KIP-496): removes committed offsets of an Empty group, or of topics a consumer group no longer
    /// subscribes to (GROUP_SUBSCRIBED_TO_TOPIC for the ones it does); NON_EMPTY_GROUP for other protocol types.
    /// </summary>
    public async Task<(ErrorCode Error, Dictionary<GroupTopicPartition, ErrorCode> Partitions)> DeleteOffsetsAsync(string groupId, IReadOnlyList<GroupTopicPartition> partitions)
    {
        ArgumentNullException.ThrowIfNull(partitions);
        var results = new Dictionary<GroupTopicPartition, ErrorCode>();
        ErrorCode error = ValidateGroupStatus(groupId, allowEmptyId: false);
        if (error != ErrorCode.None)
        {
            return (error, results);
        }

        Group? group = GetGroup(groupId);
        if (group is null)
        {
            return (GroupNotExists(groupId) ? ErrorCode.GroupIdNotFound : ErrorCode.NotCoordinator, results);
        }

        var tombstones = new List<(byte[] Key, byte[]? Value)>();
        lock (group.Lock)
        {
            List<GroupTopicPartition> eligible;
            switch (group.State)
            {
                case GroupState.Dead:
                    return (ErrorCode.GroupIdNotFound, results);
                case GroupState.Empty:
                    eligible = [.. partitions];
                    break;
                case GroupState.PreparingRebalance or GroupState.CompletingRebalance or GroupState.Stable when group.IsConsumerGroup:
                    eligible = [];
                    foreach (GroupTopicPartition tp in partitions)
                    {
                        if (group.IsSubscribedToTopic(tp.Topic))
                        {
                            results[tp] = ErrorCode.GroupSubscribedToTopic;
                        }
                        else
                        {
                            eligible.Add(tp);
                        }
                    }

                    break;
                default:
                    return (ErrorCode.NonEmptyGroup, results);
            }

            foreach (GroupTopicPartition tp in eligible)
            {
                if (group.Offsets.Remove(tp))
                {
                    tombstones.Add((GroupRecordCodec.OffsetCommitKey(groupId, tp.Topic, tp.Partition), null));
                }

                results[tp] = ErrorCode.None;
            }
        }

        if (tombstones.Count > 0)
        {
            (error, _) = await AppendAsync(group.Partition, tombstones, isOffsetCommit: false).ConfigureAwait(false);
            if (error != ErrorCode.None)
            {
                Log.TombstonesNotWritten(_logger, groupId, error);
            }
        }

        return (ErrorCode.None, results);
    }

    private static Dictionary<GroupTopicPartition, ErrorCode> Fill(Dictionary<GroupTopicPartition, ErrorCode> results, IReadOnlyList<OffsetCommitEntry> offsets, ErrorCode error)
    {
        foreach (OffsetCommitEntry entry in offsets)
        {
            results[new GroupTopicPartition(entry.Topic, entry.Partition)] = error;
        }

        return results;
    }

    private static void AddUnknown(List<FetchedOffset> result, IReadOnlyList<GroupTopicPartition>? partitions)
    {
        foreach (GroupTopicPartition tp in partitions ?? [])
        {
            result.Add(new FetchedOffset(tp.Topic, tp.Partition, -1, -1, "", ErrorCode.None));
        }
    }
}
