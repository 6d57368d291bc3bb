using KafkaSharp.Protocol;
using Microsoft.Extensions.Logging;

namespace KafkaSharp.Broker.Groups;

public sealed partial class GroupCoordinator
{
    /// <summary>
    /// ListGroups: the groups this broker coordinates, filtered by state (case-insensitive, v4+) and type (v5+: all
    /// groups here are "classic"). COORDINATOR_LOAD_IN_PROGRESS, with what is loaded, while a partition loads.
    /// </summary>
    public (ErrorCode Error, List<GroupOverview> Groups) ListGroups(IReadOnlyCollection<string> states, IReadOnlyCollection<string> types)
    {
        ArgumentNullException.ThrowIfNull(states);
        ArgumentNullException.ThrowIfNull(types);
        if (!_active)
        {
            return (ErrorCode.CoordinatorNotAvailable, []);
        }

        var wantedStates = new HashSet<string>(states.Select(s => s.ToLowerInvariant()), StringComparer.Ordinal);
        bool typeMatches = types.Count == 0 || types.Any(t => string.Equals(t, "classic", StringComparison.OrdinalIgnoreCase));
        var result = new List<GroupOverview>();
        if (typeMatches)
        {
            foreach (Group group in _groups.Values)
            {
                lock (group.Lock)
                {
                    if (!group.Is(GroupState.Dead) && (wantedStates.Count == 0 || wantedStates.Contains(GroupStates.Name(group.State).ToLowerInvariant())))
                    {
                        result.Add(group.Overview());
                    }
                }
            }
        }

        return (IsLoading ? ErrorCode.CoordinatorLoadInProgress : ErrorCode.None, result);
    }

    /// <summary>DescribeGroups for one group: an unknown group is described as Dead with no members, error NONE.</summary>
    public (ErrorCode Error, GroupSummary Summary) DescribeGroup(string groupId)
    {
        ErrorCode error = ValidateGroupStatus(groupId, allowEmptyId: true);
        if (error != ErrorCode.None)
        {
            return (error, new GroupSummary("", "", "", []));
        }

        Group? group = GetGroup(groupId);
        if (group is null)
        {
            return (ErrorCode.None, new GroupSummary(GroupStates.Name(GroupState.Dead), "", "", []));
        }

        lock (group.Lock)
        {
            return (ErrorCode.None, group.Summary());
        }
    }

    /// <summary>
    /// DeleteGroups: only Empty groups go (NON_EMPTY_GROUP otherwise; GROUP_ID_NOT_FOUND when unknown); their offsets
    /// and metadata are tombstoned in <c>__consumer_offsets</c>.
    /// </summary>
    public async Task<Dictionary<string, ErrorCode>> DeleteGroupsAsync(IReadOnlyList<string> groupIds)
    {
        ArgumentNullException.ThrowIfNull(groupIds);
        var results = new Dictionary<string, ErrorCode>(StringComparer.Ordinal);
        var tombstones = new Dictionary<int, List<(byte[] Key, byte[]? Value)>>();
        foreach (string groupId in groupIds)
        {
            ErrorCode error = ValidateGroupStatus(groupId, allowEmptyId: true);
            if (error != ErrorCode.None)
            {
                results[groupId] = error;
                continue;
            }

            Group? group = GetGroup(groupId);
            if (group is null)
            {
                results[groupId] = GroupNotExists(groupId) ? ErrorCode.GroupIdNotFound : ErrorCode.NotCoordinator;
                continue;
            }

            lock (group.Lock)
            {
                switch (group.State)
                {
                    case GroupState.Dead:
                        results[groupId] = ErrorCode.GroupIdNotFound;
                        break;
                    case GroupState.Empty:
                        List<(byte[] Key, byte[]? Value)> records = tombstones.TryGetValue(group.Partition, out var list) ? list : tombstones[group.Partition] = [];
                        foreach (GroupTopicPartition tp in group.Offsets.Keys)
                        {
                            records.Add((GroupRecordCodec.OffsetCommitKey(groupId, tp.Topic, tp.Partition), null));
                        }

                        group.Offsets.Clear();
                        group.TransitionTo(GroupState.Dead, NowMs);
                        _groups.TryRemove(KeyValuePair.Create(groupId, group));
                        records.Add((GroupRecordCodec.GroupMetadataKey(groupId), null));
                        results[groupId] = ErrorCode.None;
                        break;
                    default:
                        results[groupId] = ErrorCode.NonEmptyGroup;
                        break;
                }
            }
        }

        foreach ((int partition, List<(byte[] Key, byte[]? Value)> records) in tombstones)
        {
            (ErrorCode error, _) = await AppendAsync(partition, records, isOffsetCommit: false).ConfigureAwait(false);
            if (error != ErrorCode.None)
            {
                Log.TombstonesNotWritten(_logger, $"partition {partition}", error);
            }
        }

        return results;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 905, Level = LogLevel.Warning, Message = "Could not write tombstones for {Target}: {Error}")]
        public static partial void TombstonesNotWritten(ILogger logger, string target, ErrorCode error);
    }
}
